using System.Diagnostics.Metrics;

namespace VantaBot.Infrastructure.Evm.Transactions;

/// <summary>
/// The queue's instruments, on the bot's own meter ("VantaBot", the one the Prometheus exporter selects), so they show
/// on <c>/metrics</c> beside the bot's: what was submitted, re-sent, replaced, refused and how transactions ended.
/// </summary>
public sealed class EvmTransactionMetrics : IDisposable
{
    /// <summary>The bot's meter name (<c>BotMetrics.MeterName</c> in the Bot project, which this project cannot see).</summary>
    public const string MeterName = "VantaBot";

    private readonly Meter _meter;
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _broadcasts;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _settled;

    public EvmTransactionMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _submitted = _meter.CreateCounter<long>("vantabot.evm.tx.submitted", description: "EVM transactions stored and handed to the node, by chain.");
        _broadcasts = _meter.CreateCounter<long>("vantabot.evm.tx.resent", description: "EVM attempts sent again by the monitor or recovery, by chain and kind (rebroadcast, replacement).");
        _refused = _meter.CreateCounter<long>("vantabot.evm.tx.refused", description: "eth_sendRawTransaction refusals, by chain and meaning (nonce, permanent, unknown).");
        _settled = _meter.CreateCounter<long>("vantabot.evm.tx.settled", description: "EVM transactions settled, by chain and final state.");
    }

    public void Submitted(string chain) => _submitted.Add(1, Chain(chain));

    public void Rebroadcast(string chain) => _broadcasts.Add(1, Chain(chain), new KeyValuePair<string, object?>("kind", "rebroadcast"));

    public void Replaced(string chain) => _broadcasts.Add(1, Chain(chain), new KeyValuePair<string, object?>("kind", "replacement"));

    public void Refused(string chain, BroadcastRefusal refusal) =>
        _refused.Add(1, Chain(chain), new KeyValuePair<string, object?>("refusal", refusal.ToString().ToLowerInvariant()));

    public void Settled(string chain, EvmTxState state) =>
        _settled.Add(1, Chain(chain), new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Chain(string chain) => new("chain", chain);
}
