using System.Collections.Concurrent;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.IntegrationTests.Support;

/// <summary>A price feed (and source) whose prices the test sets; fresh unless marked stale. Unset pairs have no price.</summary>
public sealed class TestPriceFeed(TimeProvider time) : IPriceFeed, IPriceSource
{
    private readonly ConcurrentDictionary<Pair, (decimal Price, bool Stale)> _prices = new();

    public string Name => "test";

    public bool IsSimulated => true;

    public IReadOnlyCollection<Pair> SupportedPairs => _prices.Keys.ToArray();

    public void Set(Pair pair, decimal price, bool stale = false) => _prices[pair] = (price, stale);

    public Task<PriceReading?> GetPriceAsync(Pair pair, CancellationToken cancellationToken) =>
        Task.FromResult(_prices.TryGetValue(pair, out var entry)
            ? new PriceReading(Quote(pair, entry.Price, entry.Stale), entry.Stale ? TimeSpan.FromMinutes(5) : TimeSpan.Zero, entry.Stale)
            : null);

    public Task<PriceQuote?> GetQuoteAsync(Pair pair, CancellationToken cancellationToken) =>
        Task.FromResult(_prices.TryGetValue(pair, out var entry) ? Quote(pair, entry.Price, entry.Stale) : null);

    private PriceQuote Quote(Pair pair, decimal price, bool stale) =>
        new(pair, price, "test", time.GetUtcNow() - (stale ? TimeSpan.FromMinutes(5) : TimeSpan.Zero), IsSimulated: true);
}
