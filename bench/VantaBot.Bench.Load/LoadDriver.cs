using System.Diagnostics;
using System.Globalization;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;

namespace VantaBot.Bench.Load;

/// <summary>
/// Simulated users: <c>clients</c> concurrent workers, each owning every <c>clients</c>-th user, so one user's updates
/// arrive one at a time as a real chat's do while the users between them run in parallel.
/// </summary>
internal sealed class LoadDriver(UpdatePipeline pipeline, int clients, int users)
{
    private const long FirstUserId = 7_000_000_000;

    private readonly List<string>[] _openPositions = Enumerable.Range(0, users).Select(_ => new List<string>()).ToArray();
    private long _nextUpdateId;

    public async Task<PhaseResult> SeedAsync()
    {
        var recorder = new PhaseRecorder();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            for (var user = worker; user < users; user += clients)
            {
                // First contact registers the user inside the pipeline, so one update both registers and funds.
                await SendAsync(user, "deposit", "/deposit 10000", recorder);
            }
        })));
        return recorder.Finish(stopwatch.Elapsed);
    }

    public Task<PhaseResult> RunMixAsync(TimeSpan duration) => RunAsync(duration, CommandMix.PickMixed);

    /// <summary>Opens only: the DRY order path (gates, risk, limiter, intent + hold, paper fill, settle) end to end.</summary>
    public Task<PhaseResult> RunOrdersAsync(TimeSpan duration) => RunAsync(duration, CommandMix.PickOrder);

    private async Task<PhaseResult> RunAsync(TimeSpan duration, Func<Random, string> choose)
    {
        var recorder = new PhaseRecorder();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var user = worker + (clients * random.Next(users / clients));
            while (stopwatch.Elapsed < duration)
            {
                var positions = _openPositions[user];
                var (command, text) = CommandMix.Compose(choose(random), random, positions);
                var replies = await SendAsync(user, command, text, recorder);
                CommandMix.Track(positions, command, replies.Outcome, replies.OpenedPositionId);

                user += clients;
                if (user >= users)
                {
                    user = worker;
                }
            }
        })));
        return recorder.Finish(stopwatch.Elapsed);
    }

    private async Task<RecordingReplies> SendAsync(int user, string command, string text, PhaseRecorder recorder)
    {
        var telegramId = FirstUserId + user;
        var updateId = Interlocked.Increment(ref _nextUpdateId);
        var update = new TelegramUpdate
        {
            UpdateId = updateId,
            Message = new TelegramMessage
            {
                MessageId = updateId,
                From = new TelegramUser { Id = telegramId, FirstName = "Load", LastName = user.ToString(CultureInfo.InvariantCulture) },
                Chat = new TelegramChat { Id = telegramId, Type = "private" },
                Date = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                Text = text,
            },
        };
        var replies = new RecordingReplies();
        var started = Stopwatch.GetTimestamp();
        await pipeline.HandleAsync(update, replies, CancellationToken.None);
        recorder.Add(command, Stopwatch.GetTimestamp() - started, replies.Outcome);
        return replies;
    }
}
