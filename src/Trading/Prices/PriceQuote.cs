using VantaBot.Trading.Markets;

namespace VantaBot.Trading.Prices;

/// <summary>One source's price for a pair at the time the source published it.</summary>
public sealed record PriceQuote(Pair Pair, decimal Price, string Source, DateTimeOffset PublishedAt, bool IsSimulated);
