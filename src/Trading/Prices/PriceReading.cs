namespace VantaBot.Trading.Prices;

/// <summary>
/// What the feed knows about a pair now: the quote it would use (for several agreeing sources, their median),
/// how old it is, and whether that is too old or unconfirmed to open positions on.
/// </summary>
public sealed record PriceReading(PriceQuote Quote, TimeSpan Age, bool IsStale)
{
    /// <summary>The sources whose quotes agreed on this price.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [Quote.Source];

    /// <summary>How many configured sources price this pair; the denominator of <see cref="Confidence"/>.</summary>
    public int ConfiguredSources { get; init; } = 1;

    /// <summary>Agreeing sources / configured sources, 0 to 1; 0 for a stale reading.</summary>
    public decimal Confidence => ConfiguredSources == 0 || IsStale ? 0m : Math.Round((decimal)Sources.Count / ConfiguredSources, 4);

    /// <summary>Why no current price could be agreed (all stale, split vote, unconfirmed jump); null when fresh.</summary>
    public string? StaleReason { get; init; }
}
