using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Faults;

/// <summary>
/// Many traders chatting with the bot through the emulator at once, each one command at a time: open a DRY
/// position when flat, otherwise read the balance or close it. Records every command sent and every bot message
/// received per chat, so a scenario can check replies and notifications after the fault.
/// </summary>
public sealed partial class TradeStream(TelegramEmulator chat, IReadOnlyList<long> users, int seed)
{
    private readonly ConcurrentDictionary<long, List<string>> _received = new();
    private readonly ConcurrentDictionary<long, string> _openPosition = new();
    private readonly Random _random = new(seed);
    private readonly ConcurrentDictionary<long, ConcurrentQueue<string>> _commands = new();
    private int _sent;
    private int _unanswered;

    public IReadOnlyList<long> Users => users;

    public int Sent => _sent;

    /// <summary>Commands whose reply did not arrive within the wait (the bot was down, or is still retrying).</summary>
    public int Unanswered => _unanswered;

    /// <summary>A copy of every bot message received so far, by chat.</summary>
    public IReadOnlyDictionary<long, List<string>> Received =>
        _received.ToDictionary(p => p.Key, p => { lock (p.Value) { return p.Value.ToList(); } });

    public IEnumerable<string> AllReplies => Received.Values.SelectMany(m => m);

    /// <summary>Each user deposits, one command each, and waits for the answer.</summary>
    public async Task DepositAsync(decimal amount, CancellationToken cancellationToken)
    {
        await Task.WhenAll(users.Select(user => SayAsync(user, $"/deposit {amount}", TimeSpan.FromSeconds(20), cancellationToken)));
    }

    /// <summary>Runs every user's loop until <paramref name="cancellationToken"/> fires; a reply not there within <paramref name="replyWait"/> counts as unanswered.</summary>
    public async Task RunAsync(TimeSpan replyWait, CancellationToken cancellationToken)
    {
        await Task.WhenAll(users.Select(user => Task.Run(() => LoopAsync(user, replyWait, cancellationToken), CancellationToken.None)));
    }

    /// <summary>Sends one command per user without waiting for the replies.</summary>
    public async Task SendToEachAsync(Func<long, string> command, CancellationToken cancellationToken)
    {
        foreach (var user in users)
        {
            Interlocked.Increment(ref _sent);
            await chat.SendUserCommand(user, command(user), cancellationToken: cancellationToken);
            _commands.GetOrAdd(user, _ => new()).Enqueue(command(user));
        }
    }

    /// <summary>Reads whatever the bot sent to each chat since the last read into the record.</summary>
    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        foreach (var user in users)
        {
            await ReadChatAsync(user, cancellationToken);
        }
    }

    /// <summary>Collects until every chat holds at least <paramref name="perChat"/> messages or the time is up.</summary>
    public async Task CollectUntilAsync(Func<long, int> perChat, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        do
        {
            await CollectAsync(cancellationToken);
            if (users.All(u => Count(u) >= perChat(u)))
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }
        while (DateTimeOffset.UtcNow < deadline);
    }

    /// <summary>The commands <paramref name="user"/> sent, in order.</summary>
    public IReadOnlyList<string> CommandsOf(long user) => _commands.TryGetValue(user, out var queue) ? queue.ToList() : [];

    /// <summary>Users whose chat holds a different number of bot messages than they sent commands, with both sides.</summary>
    public IReadOnlyList<string> Mismatches() =>
        Received.Where(p => p.Value.Count != CommandsOf(p.Key).Count)
            .Select(p => $"user {p.Key}: {CommandsOf(p.Key).Count} commands, {p.Value.Count} messages\ncommands: {string.Join(" | ", CommandsOf(p.Key))}\nmessages:\n{string.Join("\n---\n", p.Value)}")
            .ToList();

    /// <summary>
    /// Users whose chat holds more messages than they sent commands, or fewer by more than their last command (a
    /// command sent as a phase was cancelled). Returns the mismatches that cannot be that cut-off.
    /// </summary>
    public IReadOnlyList<string> MismatchesBeyondLastCommand() => MismatchesBeyondLastCommand(_ => false);

    /// <summary>
    /// As <see cref="MismatchesBeyondLastCommand()"/>, not counting the messages <paramref name="isRelayCopy"/> picks
    /// out: outcomes the outbox relay delivered for a command the handler could not answer with its outcome.
    /// </summary>
    public IReadOnlyList<string> MismatchesBeyondLastCommand(Func<string, bool> isRelayCopy) =>
        Received.Select(p => (User: p.Key, Replies: p.Value.Count(m => !isRelayCopy(m)), Relayed: p.Value.Count(isRelayCopy)))
            .Where(p => p.Replies > CommandsOf(p.User).Count || p.Replies < CommandsOf(p.User).Count - 1)
            .Select(p => $"user {p.User}: {CommandsOf(p.User).Count} commands, {p.Replies} replies (+ {p.Relayed} relayed outcomes)")
            .ToList();

    public int Count(long user) => _received.TryGetValue(user, out var list) ? LockedCount(list) : 0;

    private static int LockedCount(List<string> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private async Task LoopAsync(long user, TimeSpan replyWait, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                string command;
                if (_openPosition.TryGetValue(user, out var position))
                {
                    command = NextDouble() < 0.5 ? "/balance" : $"/close {position}";
                }
                else
                {
                    command = NextDouble() < 0.5 ? "/long ETH 100 2x" : "/short BTC 50 3x";
                }

                await SayAsync(user, command, replyWait, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The scenario ended this phase.
        }
    }

    /// <summary>One command from <paramref name="user"/>; returns the messages that arrived for it (none: unanswered within the wait).</summary>
    public async Task<IReadOnlyList<string>> SayAsync(long user, string command, TimeSpan replyWait, CancellationToken cancellationToken)
    {
        var before = Count(user);
        Interlocked.Increment(ref _sent);
        try
        {
            // Never cancelled half-way: a send the emulator accepted but the stream did not record would show up as
            // a reply too many. The phase's token is honoured before and after, not during.
            cancellationToken.ThrowIfCancellationRequested();
            await chat.SendUserCommand(user, command, cancellationToken: CancellationToken.None);
            _commands.GetOrAdd(user, _ => new()).Enqueue(command);
        }
        catch (HttpRequestException)
        {
            // The emulator itself is down: the user's message never left their phone.
            Interlocked.Decrement(ref _sent);
            await Task.Delay(200, cancellationToken);
            return [];
        }

        var deadline = DateTimeOffset.UtcNow + replyWait;
        while (Count(user) == before && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50, cancellationToken);
            await ReadChatAsync(user, cancellationToken);
        }

        if (Count(user) == before)
        {
            Interlocked.Increment(ref _unanswered);
        }

        if (command.StartsWith("/close ", StringComparison.Ordinal))
        {
            // Closed, or not closable any more (closed by an earlier attempt whose reply was lost): flat either way.
            _openPosition.TryRemove(user, out _);
        }

        lock (_received.GetOrAdd(user, _ => []))
        {
            return _received[user].Skip(before).ToList();
        }
    }

    private async Task ReadChatAsync(long user, CancellationToken cancellationToken)
    {
        IReadOnlyList<EmulatorBotMessage> messages;
        try
        {
            // The emulator marks the messages read as it answers, so a read is never cancelled once sent: its answer
            // would be lost to the record (the test, not the bot, would have dropped them). The emulator client's
            // timeout is long (FaultSettings.Emulator) for the same reason.
            cancellationToken.ThrowIfCancellationRequested();
            messages = await chat.GetBotMessagesForChat(user, CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException)
        {
            // The emulator is down or refused the read (the Telegram scenario stops it): it handed out nothing.
            return;
        }

        var list = _received.GetOrAdd(user, _ => []);
        foreach (var message in messages)
        {
            var text = message.Text ?? "";
            lock (list)
            {
                list.Add(text);
            }

            if (PositionId().Match(text) is { Success: true } match && text.Contains("Opened", StringComparison.Ordinal))
            {
                _openPosition[user] = match.Groups["id"].Value;
            }
        }
    }

    private double NextDouble()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }

    [GeneratedRegex("Position (?<id>[0-9a-f]{12})")]
    private static partial Regex PositionId();
}
