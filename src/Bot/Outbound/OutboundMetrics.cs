using System.Diagnostics.Metrics;
using VantaBot.Bot.Pipeline;

namespace VantaBot.Bot.Outbound;

/// <summary>Instruments of the outbound queue and the limiter, on the bot's meter so /metrics exports them.</summary>
public sealed class OutboundMetrics
{
    private readonly Counter<long> _sent;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _limited;
    private readonly Counter<long> _limiterUnavailable;

    public OutboundMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        // The factory owns the meter (and hands BotMetrics the same one); it is disposed with the host, not here.
        var meter = meterFactory.Create(BotMetrics.MeterName);
        _sent = meter.CreateCounter<long>("vantabot.outbound.sent", description: "Bot API sends Telegram accepted.");
        _dropped = meter.CreateCounter<long>("vantabot.outbound.dropped", description: "Outbound messages given up, by reason.");
        _retried = meter.CreateCounter<long>("vantabot.outbound.retried", description: "Outbound sends retried, by reason (429, transient).");
        _limited = meter.CreateCounter<long>("vantabot.rate_limited", description: "Actions refused by a per-user limit, by limit.");
        _limiterUnavailable = meter.CreateCounter<long>("vantabot.limiter.unavailable", description: "Checks the limiter store could not answer, by outcome (refused, allowed).");
    }

    public void Sent() => _sent.Add(1);

    public void Dropped(string reason) => _dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Retried(string reason) => _retried.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Limited(string limit) => _limited.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void LimiterUnavailable(bool refused) => _limiterUnavailable.Add(1, new KeyValuePair<string, object?>("outcome", refused ? "refused" : "allowed"));
}
