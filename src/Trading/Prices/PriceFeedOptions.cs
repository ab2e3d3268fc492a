namespace VantaBot.Trading.Prices;

/// <summary>Settings under <c>Prices__*</c>.</summary>
public sealed class PriceFeedOptions
{
    public const string Section = "Prices";

    /// <summary>Comma list of source names (simulated, pyth, coinbase, binance).</summary>
    public string Sources { get; set; } = "simulated";

    /// <summary>Comma list of base symbols the HTTP sources are asked for (each USD-quoted).</summary>
    public string Pairs { get; set; } = "BTC,ETH,SOL,ARB,DOGE,LINK";

    /// <summary>A quote older than this is stale and takes no part in the median.</summary>
    public TimeSpan MaxQuoteAge { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A fresh quote further than this fraction from the median of the fresh quotes is dropped as an outlier.</summary>
    public decimal MaxDeviationFraction { get; set; } = 0.005m;

    /// <summary>
    /// A price no second source confirms may move at most this fraction from the last agreed price of the past
    /// minute; beyond it the lone quote is refused (a broken feed's 1000x jump must not price an order).
    /// </summary>
    public decimal MaxJumpFraction { get; set; } = 0.10m;

    /// <summary>A source's good quote is reused for this long before the source is asked again (rate limits).</summary>
    public TimeSpan MinFetchInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IReadOnlyList<string> SourceNames =>
        Sources.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    public IReadOnlyList<string> PairSymbols =>
        Pairs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(symbol => symbol.ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToArray();
}
