namespace VantaBot.Trading.Prices;

/// <summary>What the feed knows about a pair now: the quote it would use, how old it is, and whether that is too old.</summary>
public sealed record PriceReading(PriceQuote Quote, TimeSpan Age, bool IsStale);
