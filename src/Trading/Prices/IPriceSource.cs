using VantaBot.Trading.Markets;

namespace VantaBot.Trading.Prices;

/// <summary>One origin of prices (an exchange ticker, an oracle, or the simulated random walk).</summary>
public interface IPriceSource
{
    string Name { get; }

    /// <summary>True for sources that invent prices; their quotes are always labelled and never used in LIVE mode.</summary>
    bool IsSimulated { get; }

    IReadOnlyCollection<Pair> SupportedPairs { get; }

    /// <summary>Null when the source has no price for the pair.</summary>
    Task<PriceQuote?> GetQuoteAsync(Pair pair, CancellationToken cancellationToken);
}
