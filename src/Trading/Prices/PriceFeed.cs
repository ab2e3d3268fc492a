using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Trading.Markets;

namespace VantaBot.Trading.Prices;

/// <summary>Why and since when a pair takes no new positions.</summary>
public sealed record CloseOnlyState(Pair Pair, DateTimeOffset Since, string Reason);

/// <summary>
/// Asks every configured source that prices the pair (all at once, each behind its own timeout and breaker) and
/// agrees a price with <see cref="PriceAggregator"/>. A source's last good quote is kept and still counts while it
/// is fresh, so one slow answer does not drop a pair. When no price can be agreed the last agreed one is served
/// marked stale and the pair is close-only until a fresh agreed price returns.
/// </summary>
public sealed class PriceFeed : IPriceFeed
{
    private readonly IReadOnlyList<IPriceSource> _sources;
    private readonly PriceFeedOptions _options;
    private readonly PriceAggregator _aggregator;
    private readonly PriceSourceHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger<PriceFeed> _logger;
    private readonly ConcurrentDictionary<(string Source, Pair Pair), (PriceQuote Quote, DateTimeOffset FetchedAt)> _latest = new();
    private readonly ConcurrentDictionary<Pair, PriceQuote> _agreed = new();
    private readonly ConcurrentDictionary<Pair, CloseOnlyState> _closeOnly = new();

    public PriceFeed(IEnumerable<IPriceSource> sources, IOptions<PriceFeedOptions> options, PriceSourceHealth health, TimeProvider time, ILogger<PriceFeed> logger)
    {
        _sources = sources.ToArray();
        _options = options.Value;
        _aggregator = new PriceAggregator(_options);
        _health = health;
        _time = time;
        _logger = logger;
        SupportedPairs = _sources.SelectMany(s => s.SupportedPairs).Distinct().OrderBy(p => p.Base, StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyCollection<Pair> SupportedPairs { get; }

    public IReadOnlyList<IPriceSource> Sources => _sources;

    /// <summary>Pairs whose price could not be agreed on their last read, and why.</summary>
    public IReadOnlyList<CloseOnlyState> CloseOnlyPairs => _closeOnly.Values.OrderBy(s => s.Pair.Base, StringComparer.Ordinal).ToArray();

    public bool IsCloseOnly(Pair pair, out CloseOnlyState? state) => _closeOnly.TryGetValue(pair, out state);

    public async Task<PriceReading?> GetPriceAsync(Pair pair, CancellationToken cancellationToken)
    {
        var sources = _sources.Where(s => s.SupportedPairs.Contains(pair)).ToArray();
        if (sources.Length == 0)
        {
            return null;
        }

        var latest = await Task.WhenAll(sources.Select(s => LatestAsync(s, pair, cancellationToken)));
        cancellationToken.ThrowIfCancellationRequested();

        var now = _time.GetUtcNow();
        _agreed.TryGetValue(pair, out var previous);
        var aggregate = _aggregator.Aggregate(pair, latest.OfType<PriceQuote>().ToArray(), now, previous);
        foreach (var rejected in aggregate.Rejected)
        {
            if (rejected.Reason.StartsWith("stale", StringComparison.Ordinal))
            {
                _logger.LogDebug("Quote of {Source} for {Pair} left out: {Reason}", rejected.Quote.Source, pair, rejected.Reason);
            }
            else
            {
                _logger.LogWarning("Quote of {Source} for {Pair} dropped: {Reason} (price {Price})", rejected.Quote.Source, pair, rejected.Reason, rejected.Quote.Price);
            }
        }

        if (aggregate.Consensus is { } agreed)
        {
            _agreed[pair] = agreed;
            if (_closeOnly.TryRemove(pair, out var was))
            {
                _logger.LogInformation("{Pair} priced again by {Sources}; close-only since {Since} lifted", pair, agreed.Source, was.Since);
            }

            return new PriceReading(agreed, AgeOf(agreed, now), IsStale: false)
            {
                Sources = aggregate.Agreeing.Select(q => q.Source).Order(StringComparer.Ordinal).ToArray(),
                ConfiguredSources = sources.Length,
            };
        }

        var reason = aggregate.NoPriceReason ?? "no price could be agreed";
        if (_closeOnly.TryAdd(pair, new CloseOnlyState(pair, now, reason)))
        {
            _logger.LogWarning("{Pair} is close-only: {Reason}", pair, reason);
        }
        else
        {
            _closeOnly[pair] = _closeOnly[pair] with { Reason = reason };
        }

        return previous is null
            ? null
            : new PriceReading(previous, AgeOf(previous, now), IsStale: true)
            {
                Sources = previous.Source.Split('+'),
                ConfiguredSources = sources.Length,
                StaleReason = reason,
            };
    }

    /// <summary>The source's newest quote: fetched now, or its last good one when that is recent or the source failed.</summary>
    private async Task<PriceQuote?> LatestAsync(IPriceSource source, Pair pair, CancellationToken cancellationToken)
    {
        var key = (source.Name, pair);
        var now = _time.GetUtcNow();
        _latest.TryGetValue(key, out var cached);
        if (cached.Quote is not null && now - cached.FetchedAt < _options.MinFetchInterval)
        {
            return cached.Quote;
        }

        try
        {
            var quote = await source.GetQuoteAsync(pair, cancellationToken);
            if (quote is null)
            {
                _health.RecordFailure(source.Name, now, $"no quote for {pair}");
            }
            else if (quote.Price <= 0)
            {
                _logger.LogWarning("Price source {Source} sent an absurd price {Price} for {Pair}; dropped", source.Name, quote.Price, pair);
                _health.RecordFailure(source.Name, now, $"absurd price {quote.Price} for {pair}");
            }
            else
            {
                _latest[key] = (quote, now);
                _health.RecordSuccess(source.Name, now);
                return quote;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One failing source must not hide the others; the failure is an operator concern, not the user's.
            _logger.LogWarning("Price source {Source} failed for {Pair}: {Error}", source.Name, pair, Describe(ex));
            _health.RecordFailure(source.Name, now, Describe(ex));
        }

        return cached.Quote;
    }

    private static TimeSpan AgeOf(PriceQuote quote, DateTimeOffset now)
    {
        var age = now - quote.PublishedAt;
        return age < TimeSpan.Zero ? TimeSpan.Zero : age;
    }

    private static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "timed out",

        // Sources' own failures already say which source and what went wrong.
        _ when ex.GetType().Name.StartsWith("PriceSource", StringComparison.Ordinal) => ex.Message,
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };
}
