using System.Collections.Concurrent;

namespace VantaBot.Trading.Prices;

public enum SourceStatus
{
    Unknown,
    Up,
    Down,
}

/// <summary>One source's record in this process: when it last answered well, when and how it last failed.</summary>
public sealed record SourceHealth(string Source, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastError, int ConsecutiveFailures)
{
    /// <summary>Up while the latest attempt succeeded within <paramref name="maxAge"/>; Down once it failed or went quiet.</summary>
    public SourceStatus StatusAt(DateTimeOffset now, TimeSpan maxAge) =>
        LastSuccessAt is null && LastFailureAt is null ? SourceStatus.Unknown
        : ConsecutiveFailures == 0 && LastSuccessAt is { } success && now - success <= maxAge ? SourceStatus.Up
        : SourceStatus.Down;
}

/// <summary>
/// What every source did lately, as seen by this process's feed. Written on every quote request; read by
/// /price_feeds and by the feed-health job, which turns it into up/down transitions.
/// </summary>
public sealed class PriceSourceHealth
{
    private readonly ConcurrentDictionary<string, SourceHealth> _sources = new(StringComparer.Ordinal);

    public void RecordSuccess(string source, DateTimeOffset at) =>
        _sources.AddOrUpdate(
            source,
            _ => new SourceHealth(source, at, null, null, 0),
            (_, old) => old with { LastSuccessAt = Max(old.LastSuccessAt, at), ConsecutiveFailures = 0 });

    public void RecordFailure(string source, DateTimeOffset at, string error) =>
        _sources.AddOrUpdate(
            source,
            _ => new SourceHealth(source, null, at, error, 1),
            (_, old) => old with { LastFailureAt = at, LastError = error, ConsecutiveFailures = old.ConsecutiveFailures + 1 });

    public SourceHealth Get(string source) => _sources.TryGetValue(source, out var health) ? health : new SourceHealth(source, null, null, null, 0);

    private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset b) => a is { } value && value > b ? value : b;
}
