namespace VantaBot.Infrastructure.Metrics;

/// <summary>Settings of <see cref="PrometheusExporter"/>.</summary>
public sealed record MetricsExportOptions
{
    /// <summary>Configuration section conventionally bound to these options.</summary>
    public const string SectionName = "Metrics";

    /// <summary>Default cap on distinct tag sets kept per instrument.</summary>
    public const int DefaultMaxSeriesPerInstrument = 1000;

    /// <summary>
    /// Names of the meters whose instruments are exported (ordinal, case-sensitive match).
    /// A name ending in <c>.*</c> matches every meter whose name starts with the part before the star
    /// (<c>VantaBot.*</c> matches <c>VantaBot.Telegram</c> and <c>VantaBot</c>).
    /// </summary>
    public IReadOnlyList<string> MeterNames { get; init; } = [];

    /// <summary>
    /// Maximum number of time series (distinct tag sets) per instrument. Further tag sets are folded
    /// into a single series labelled <c>overflow="true"</c>, so hostile tag values cannot exhaust memory.
    /// </summary>
    public int MaxSeriesPerInstrument { get; init; } = DefaultMaxSeriesPerInstrument;

    /// <summary>
    /// When set, only meters with this <see cref="System.Diagnostics.Metrics.Meter.Scope"/> are exported. Meters
    /// made by an <c>IMeterFactory</c> carry that factory as their scope, so passing the host's factory keeps two
    /// hosts in one process (tests, side-by-side instances) from counting each other's measurements.
    /// </summary>
    public object? Scope { get; init; }
}
