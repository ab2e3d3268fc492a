using VantaBot.Trading.Markets;

namespace VantaBot.Trading.Perps;

/// <summary>
/// The perps markets as Avantis lists them (docs, late 2026): the catalog the paper venue uses in DRY mode until the
/// live venue reports its own pair limits, which are the truth. Minimum position (100 USDC), TP cap (+900%), SL cap
/// (−80%) and the liquidation threshold (10% remaining) are <see cref="PerpMarketSpec"/>'s defaults.
/// </summary>
public sealed class DefaultPerpMarkets : IPerpMarketCatalog
{
    private static readonly LeverageBounds Standard75 = new(1m, 75m);
    private static readonly LeverageBounds Standard50 = new(1m, 50m);

    // High-leverage ("zero-fee/Upside") group: 75x minimum. 75x itself belongs to Standard (checked first).
    private static readonly LeverageBounds High500 = new(75m, 500m);

    /// <summary>The venue data, in one table. Rates are fractions: fee per side on notional, half-spread, rollover per hour.</summary>
    private static readonly PerpMarketSpec[] Table =
    [
        //     pair   standard     high      fee        spread     rollover/h
        Spec("BTC", Standard75, High500, 0.0006m, 0.0002m, 0.00001m),
        Spec("ETH", Standard75, High500, 0.0006m, 0.0003m, 0.00001m),
        Spec("SOL", Standard75, null, 0.0006m, 0.0005m, 0.00001m),
        Spec("ARB", Standard50, null, 0.0008m, 0.001m, 0.00001m),
        Spec("DOGE", Standard50, null, 0.0008m, 0.001m, 0.00001m),
        Spec("LINK", Standard50, null, 0.0008m, 0.001m, 0.00001m),
    ];

    private readonly Dictionary<Pair, PerpMarketSpec> _byPair;

    public DefaultPerpMarkets()
    {
        _byPair = Table.ToDictionary(spec => spec.Pair);
        Markets = Table.AsReadOnly();
    }

    public IReadOnlyCollection<PerpMarketSpec> Markets { get; }

    public PerpMarketSpec? Find(Pair pair) => _byPair.GetValueOrDefault(pair);

    private static PerpMarketSpec Spec(string @base, LeverageBounds standard, LeverageBounds? high, decimal fee, decimal spread, decimal rolloverPerHour) =>
        new()
        {
            Pair = Pair.Usd(@base),
            Standard = standard,
            HighLeverage = high,
            OpenCloseFeeRate = fee,
            SpreadRate = spread,
            RolloverFeeRatePerHour = rolloverPerHour,
        };
}
