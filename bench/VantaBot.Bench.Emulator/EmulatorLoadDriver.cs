using System.Diagnostics;
using VantaBot.Bench.Load;

namespace VantaBot.Bench.Emulator;

/// <summary>
/// How a simulated user waits for the reply: they read their chat when the bot's send to it is signalled, else every
/// <paramref name="PollInterval"/>, and give up after <paramref name="Timeout"/>.
/// </summary>
internal sealed record ReplyWait(TimeSpan PollInterval, TimeSpan Timeout);

/// <summary>
/// Simulated users chatting through the emulator: <c>clients</c> concurrent workers, each owning every
/// <c>clients</c>-th user and sending that user's next command only once the reply to the last one is in the chat,
/// as a person would. The latency of a command is end to end: from the user's send to the poll of the chat that
/// first shows the bot's reply (so it includes the emulator both ways, the bot's poll, the queue behind earlier
/// updates, the handler, the outbound queue and the user's read of the chat, made when the bot's send to that chat
/// is signalled by <see cref="ChatSignals"/>).
/// </summary>
internal sealed class EmulatorLoadDriver(EmulatorChat chat, ChatSignals signals, int clients, int users, ReplyWait wait)
{
    public const long FirstUserId = 7_000_000_000;

    private readonly List<string>[] _openPositions = Enumerable.Range(0, users).Select(_ => new List<string>()).ToArray();
    private int _strays;

    /// <summary>
    /// Bot messages a user found in their chat that were not the reply to their last command: sent before it (a late
    /// second message of an earlier reply) or after the reply in the same read. Should stay near zero: each command
    /// of the mix is answered with one message.
    /// </summary>
    public int Strays => Volatile.Read(ref _strays);

    public async Task<PhaseResult> SeedAsync(CancellationToken cancellationToken)
    {
        var recorder = new PhaseRecorder();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(worker => Task.Run(
            async () =>
            {
                for (var user = worker; user < users; user += clients)
                {
                    // First contact registers the user inside the pipeline, so one update both registers and funds.
                    await SayAsync(user, "deposit", "/deposit 10000", recorder, cancellationToken);
                }
            },
            cancellationToken)));
        return recorder.Finish(stopwatch.Elapsed);
    }

    public async Task<PhaseResult> RunMixAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var recorder = new PhaseRecorder();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(worker => Task.Run(
            async () =>
            {
                var random = new Random(worker);
                var user = worker + (clients * random.Next(Math.Max(1, users / clients)));
                while (stopwatch.Elapsed < duration)
                {
                    var positions = _openPositions[user];
                    var (command, text) = CommandMix.Compose(CommandMix.PickMixed(random), random, positions);
                    var reply = await SayAsync(user, command, text, recorder, cancellationToken);
                    CommandMix.Track(positions, command, ReplyText.Outcome(reply), ReplyText.OpenedPositionId(reply));

                    user += clients;
                    if (user >= users)
                    {
                        user = worker;
                    }
                }
            },
            cancellationToken)));
        return recorder.Finish(stopwatch.Elapsed);
    }

    /// <summary>Sends one command as <paramref name="user"/> and waits for the bot's reply in their chat.</summary>
    /// <returns>The reply's text, or null when none came within the wait.</returns>
    public async Task<string?> SayAsync(int user, string command, string text, PhaseRecorder recorder, CancellationToken cancellationToken)
    {
        var chatId = FirstUserId + user;

        // The emulator stamps the bot's messages with its clock, which is this machine's: anything stamped before
        // the send cannot be the reply to it.
        var sentMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var started = Stopwatch.GetTimestamp();
        await chat.SendCommandAsync(chatId, text, cancellationToken);
        while (Stopwatch.GetElapsedTime(started) < wait.Timeout)
        {
            await signals.WaitAsync(chatId, wait.PollInterval, cancellationToken);
            var messages = await chat.ReadAsync(chatId, cancellationToken);
            var reply = messages.FirstOrDefault(m => m.TimeMs >= sentMs);
            if (messages.Count > (reply is null ? 0 : 1))
            {
                Interlocked.Add(ref _strays, messages.Count - (reply is null ? 0 : 1));
            }

            if (reply is not null)
            {
                recorder.Add(command, Stopwatch.GetTimestamp() - started, ReplyText.Outcome(reply.Text));
                return reply.Text;
            }
        }

        recorder.Add(command, Stopwatch.GetTimestamp() - started, "unanswered");
        return null;
    }
}
