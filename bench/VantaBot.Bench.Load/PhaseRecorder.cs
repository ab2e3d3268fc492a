using System.Collections.Concurrent;
using System.Diagnostics;

namespace VantaBot.Bench.Load;

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
        var notOk = _outcomes.Where(o => o.Key.Outcome is "refused" or "rejected" or "failed" or "other" or "unanswered").Sum(o => o.Value);
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
