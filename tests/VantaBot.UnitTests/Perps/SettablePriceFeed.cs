using System.Collections.Concurrent;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Prices;

namespace VantaBot.UnitTests.Perps;

/// <summary>A price feed whose price and staleness per pair are set by the test; unset pairs have no price.</summary>
public sealed class SettablePriceFeed(TimeProvider time) : IPriceFeed
{
    private readonly ConcurrentDictionary<Pair, (decimal Price, bool Stale)> _prices = new();

    public IReadOnlyCollection<Pair> SupportedPairs => _prices.Keys.ToArray();

    public void Set(Pair pair, decimal price, bool stale = false) => _prices[pair] = (price, stale);

    public void Remove(Pair pair) => _prices.TryRemove(pair, out _);

    private readonly ConcurrentDictionary<Pair, (int ReadsLeft, decimal Price)> _moves = new();

    /// <summary>The pair's price jumps to <paramref name="price"/> after <paramref name="afterReads"/> more reads (a market moving mid-order).</summary>
    public void MoveAfter(Pair pair, int afterReads, decimal price) => _moves[pair] = (afterReads, price);

    public Task<PriceReading?> GetPriceAsync(Pair pair, CancellationToken cancellationToken)
    {
        if (_moves.TryGetValue(pair, out var move))
        {
            if (move.ReadsLeft <= 0)
            {
                Set(pair, move.Price);
                _moves.TryRemove(pair, out _);
            }
            else
            {
                _moves[pair] = (move.ReadsLeft - 1, move.Price);
            }
        }

        return Read(pair);
    }

    private Task<PriceReading?> Read(Pair pair) =>
        Task.FromResult(
            _prices.TryGetValue(pair, out var entry)
                ? new PriceReading(
                    new PriceQuote(pair, entry.Price, "test", time.GetUtcNow() - (entry.Stale ? TimeSpan.FromMinutes(5) : TimeSpan.Zero), IsSimulated: true),
                    entry.Stale ? TimeSpan.FromMinutes(5) : TimeSpan.Zero,
                    entry.Stale)
                : null);
}

/// <summary>Wraps a venue and throws on <see cref="OpenAsync"/>: the call failed in flight.</summary>
public sealed class ThrowingOpenVenue(IPerpVenue inner) : IPerpVenue
{
    public int OpenCalls { get; private set; }

    public string Name => inner.Name;

    public Task<VenueResult<PerpOpenFill>> OpenAsync(PerpOpenRequest request, CancellationToken cancellationToken)
    {
        OpenCalls++;
        throw new HttpRequestException("connection reset");
    }

    public Task<VenueResult<PerpCloseFill>> CloseAsync(PerpCloseRequest request, CancellationToken cancellationToken) => inner.CloseAsync(request, cancellationToken);

    public Task<VenueOrderStatus?> FindOrderAsync(IntentId clientOrderId, CancellationToken cancellationToken) => inner.FindOrderAsync(clientOrderId, cancellationToken);
}
