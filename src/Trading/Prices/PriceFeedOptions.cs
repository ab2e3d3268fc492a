namespace VantaBot.Trading.Prices;

/// <summary>Settings under <c>Prices__*</c>.</summary>
public sealed class PriceFeedOptions
{
    public const string Section = "Prices";

    /// <summary>Comma list of source names, in order of preference.</summary>
    public string Sources { get; set; } = "simulated";

    /// <summary>A quote older than this is stale.</summary>
    public TimeSpan MaxQuoteAge { get; set; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<string> SourceNames =>
        Sources.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToArray();
}
