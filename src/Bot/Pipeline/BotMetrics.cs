using System.Diagnostics.Metrics;

namespace VantaBot.Bot.Pipeline;

/// <summary>The bot's own instruments; exported on <c>/metrics</c> by the Prometheus exporter.</summary>
public sealed class BotMetrics : IDisposable
{
    public const string MeterName = "VantaBot";

    private static readonly IReadOnlyList<double> LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly Meter _meter;
    private readonly Counter<long> _updates;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _duplicates;

    public BotMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _updates = _meter.CreateCounter<long>("vantabot.updates.handled", description: "Telegram updates handled, by command and outcome.");
        _duration = _meter.CreateHistogram(
            "vantabot.handler.duration.seconds",
            unit: "s",
            description: "Time from an update's arrival to the end of its handler.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _errors = _meter.CreateCounter<long>("vantabot.errors", description: "Unexpected errors, by stage.");
        _duplicates = _meter.CreateCounter<long>("vantabot.updates.duplicate", description: "Re-delivered updates dropped by the update_id dedupe.");
    }

    public void UpdateHandled(string command, UpdateOutcome outcome, TimeSpan elapsed)
    {
        var commandTag = new KeyValuePair<string, object?>("command", command);
        _updates.Add(1, commandTag, new KeyValuePair<string, object?>("outcome", outcome.ToMetricValue()));
        _duration.Record(elapsed.TotalSeconds, commandTag);
    }

    public void Error(string stage) => _errors.Add(1, new KeyValuePair<string, object?>("stage", stage));

    public void Duplicate() => _duplicates.Add(1);

    public void Dispose() => _meter.Dispose();
}
