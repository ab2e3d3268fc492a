using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Trading.Markets;

namespace VantaBot.Trading.Prices;

/// <summary>
/// Asks every configured source that prices the pair and keeps the freshest quote. When none answers it serves the
/// last known quote, marked stale, so callers can degrade (close-only) rather than fail.
/// </summary>
public sealed class PriceFeed : IPriceFeed
{
    private readonly IReadOnlyList<IPriceSource> _sources;
    private readonly TimeProvider _time;
    private readonly ILogger<PriceFeed> _logger;
    private readonly TimeSpan _maxAge;
    private readonly ConcurrentDictionary<Pair, PriceQuote> _lastKnown = new();

    public PriceFeed(IEnumerable<IPriceSource> sources, IOptions<PriceFeedOptions> options, TimeProvider time, ILogger<PriceFeed> logger)
    {
        _sources = sources.ToArray();
        _time = time;
        _logger = logger;
        _maxAge = options.Value.MaxQuoteAge;
        SupportedPairs = _sources.SelectMany(s => s.SupportedPairs).Distinct().OrderBy(p => p.Base, StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyCollection<Pair> SupportedPairs { get; }

    public async Task<PriceReading?> GetPriceAsync(Pair pair, CancellationToken cancellationToken)
    {
        PriceQuote? best = null;
        foreach (var source in _sources.Where(s => s.SupportedPairs.Contains(pair)))
        {
            PriceQuote? quote;
            try
            {
                quote = await source.GetQuoteAsync(pair, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One failing source must not hide the others; the failure is an operator concern, not the user's.
                _logger.LogWarning(ex, "Price source {Source} failed for {Pair}", source.Name, pair);
                continue;
            }

            if (quote is { Price: > 0 } && (best is null || quote.PublishedAt > best.PublishedAt))
            {
                best = quote;
            }
        }

        if (best is not null)
        {
            _lastKnown[pair] = best;
        }
        else if (!_lastKnown.TryGetValue(pair, out best))
        {
            return null;
        }

        var age = _time.GetUtcNow() - best.PublishedAt;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return new PriceReading(best, age, age > _maxAge);
    }
}
