using VantaBot.Trading.Markets;

namespace VantaBot.Trading.Perps;

/// <summary>The pairs a perps venue lists and their economics.</summary>
public interface IPerpMarketCatalog
{
    IReadOnlyCollection<PerpMarketSpec> Markets { get; }

    PerpMarketSpec? Find(Pair pair);
}
