using System.Collections.Concurrent;
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
    private static readonly string[] Pairs = ["ETH", "BTC", "SOL"];

    // Weights out of 100: reads dominate a trading chat; opens and closes are a third of it.
    private static readonly (string Command, int Weight)[] Mix =
    [
        ("price", 20), ("balance", 15), ("positions", 15), ("pnl", 10), ("deposit", 5),
        ("long", 10), ("short", 10), ("close", 15),
    ];

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

    public Task<PhaseResult> RunMixAsync(TimeSpan duration) => RunAsync(duration, (user, random) =>
    {
        var roll = random.Next(100);
        foreach (var (command, weight) in Mix)
        {
            if (roll < weight)
            {
                return command;
            }

            roll -= weight;
        }

        return "price";
    });

    /// <summary>Opens only: the DRY order path (gates, risk, limiter, intent + hold, paper fill, settle) end to end.</summary>
    public Task<PhaseResult> RunOrdersAsync(TimeSpan duration) => RunAsync(duration, (_, random) => random.Next(2) == 0 ? "long" : "short");

    private async Task<PhaseResult> RunAsync(TimeSpan duration, Func<int, Random, string> choose)
    {
        var recorder = new PhaseRecorder();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var user = worker + (clients * random.Next(users / clients));
            while (stopwatch.Elapsed < duration)
            {
                var command = choose(user, random);
                var pair = Pairs[random.Next(Pairs.Length)];
                var positions = _openPositions[user];
                var text = command switch
                {
                    "price" => $"/price {pair}",
                    "balance" => "/balance",
                    "positions" => "/positions",
                    "pnl" => "/pnl 7d",
                    "deposit" => "/deposit 100",
                    "long" => $"/long {pair} 20 5x",
                    "short" => $"/short {pair} 20 5x",
                    "close" when positions.Count > 0 => $"/close {positions[^1]}",
                    _ => $"/long {pair} 20 5x",
                };
                if (command == "close" && positions.Count == 0)
                {
                    command = "long";
                }

                var replies = await SendAsync(user, command, text, recorder);
                if (command is "long" or "short" && replies.OpenedPositionId is { } id)
                {
                    positions.Add(id);
                }
                else if (command == "close" && replies.Outcome == "closed")
                {
                    positions.RemoveAt(positions.Count - 1);
                }

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

/// <summary>Latencies and reply outcomes per command for one phase, from every worker at once.</summary>
internal sealed class PhaseRecorder
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<long>> _ticks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Command, string Outcome), int> _outcomes = new();

    public void Add(string command, long ticks, string outcome)
    {
        _ticks.GetOrAdd(command, _ => []).Add(ticks);
        _outcomes.AddOrUpdate((command, outcome), 1, (_, n) => n + 1);
    }

    public PhaseResult Finish(TimeSpan elapsed)
    {
        var byCommand = _ticks.ToDictionary(
            c => c.Key,
            c => new CommandStats(
                c.Value.Count,
                Percentile(c.Value.Order().ToArray(), 0.50),
                Percentile(c.Value.Order().ToArray(), 0.99),
                string.Join(", ", _outcomes.Where(o => o.Key.Command == c.Key).OrderByDescending(o => o.Value).Select(o => $"{o.Key.Outcome} {o.Value}"))),
            StringComparer.Ordinal);
        var all = _ticks.Values.SelectMany(t => t).Order().ToArray();
        var opened = _outcomes.Where(o => o.Key.Outcome == "opened").Sum(o => o.Value);
        var notOk = _outcomes.Where(o => o.Key.Outcome is "refused" or "rejected" or "failed" or "other").Sum(o => o.Value);
        return new PhaseResult(all.Length, elapsed, Percentile(all, 0.50), Percentile(all, 0.99), Percentile(all, 0.999), opened, notOk, byCommand);
    }

    private static double Percentile(long[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
}

internal sealed record CommandStats(int Count, double P50, double P99, string Outcomes);

internal sealed record PhaseResult(int Count, TimeSpan Elapsed, double P50, double P99, double P999, int Opened, int NotOk, IReadOnlyDictionary<string, CommandStats> ByCommand)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;

    public double OpensPerSecond => Opened / Elapsed.TotalSeconds;
}
