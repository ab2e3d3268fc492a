using VantaBot.Trading.Markets;

namespace VantaBot.Trading.Prices;

public interface IPriceFeed
{
    /// <summary>Every pair at least one configured source can price.</summary>
    IReadOnlyCollection<Pair> SupportedPairs { get; }

    /// <summary>
    /// The best current price for the pair, or the last known one marked stale when no source has a fresh quote.
    /// Null when the pair is unsupported or was never priced.
    /// </summary>
    Task<PriceReading?> GetPriceAsync(Pair pair, CancellationToken cancellationToken);
}
