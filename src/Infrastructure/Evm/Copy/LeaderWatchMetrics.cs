using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace VantaBot.Infrastructure.Evm.Copy;

/// <summary>
/// The watcher's instruments on the bot's meter ("VantaBot", the one <c>/metrics</c> exports): how far each chain's
/// cursor trails the head, the swaps recorded, and the reorgs that reached below the confirmation depth.
/// </summary>
public sealed class LeaderWatchMetrics : IDisposable
{
    /// <summary>The bot's meter name (<c>BotMetrics.MeterName</c> in the Bot project, which this project cannot see).</summary>
    public const string MeterName = "VantaBot";

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, long> _lag = new(StringComparer.OrdinalIgnoreCase);
    private readonly Counter<long> _recorded;
    private readonly Counter<long> _deepReorgs;

    public LeaderWatchMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge(
            "vantabot.copy.watch.lag.blocks",
            () => _lag.Select(l => new Measurement<long>(l.Value, new KeyValuePair<string, object?>("chain", l.Key))),
            unit: "{block}",
            description: "Blocks between the chain's head and the leader watcher's cursor (the confirmation depth included).");
        _recorded = _meter.CreateCounter<long>("vantabot.copy.watch.swaps", description: "Leader swaps recorded by the EVM watcher, by chain.");
        _deepReorgs = _meter.CreateCounter<long>("vantabot.copy.watch.deep_reorgs", description: "Reorgs that replaced a block the watcher had already scanned, by chain.");
    }

    public void Lag(string chain, long blocks) => _lag[chain] = Math.Max(0, blocks);

    public void Recorded(string chain, int count)
    {
        if (count > 0)
        {
            _recorded.Add(count, new KeyValuePair<string, object?>("chain", chain));
        }
    }

    public void DeepReorg(string chain) => _deepReorgs.Add(1, new KeyValuePair<string, object?>("chain", chain));

    public void Dispose() => _meter.Dispose();
}
