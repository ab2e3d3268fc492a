using Microsoft.Extensions.Options;
using VantaBot.Risk;

namespace VantaBot.UnitTests.Risk;

/// <summary>
/// A baseline order everyone can reason about by hand:
/// ETH/USD long, 1,000 USD collateral × 10x = 10,000 USD notional, entry = mark = 3,000,
/// liquidation at a 90% loss = 3,000 × (1 − 0.9 / 10) = 2,730, fees 6 + 6 USD (6 bps of 10,000),
/// leverage bounds 1–75x, equity 100,000 USD all day, no other ETH/USD exposure, no SL/TP from the trader.
/// Bot's default SL = 2,730 + 3,000 × 0.05 / 10 = 2,745 (an 85% loss: (3,000 − 2,745) / 3,000 × 10 = 0.85).
/// </summary>
internal static class RiskTestData
{
    public static OpenRiskRequest Long() => new(
        Pair: "ETH/USD",
        IsLong: true,
        Collateral: 1_000m,
        Leverage: 10m,
        EntryPrice: 3_000m,
        MarkPrice: 3_000m,
        LiquidationPrice: 2_730m,
        StopLoss: null,
        TakeProfit: null,
        OpenFee: 6m,
        EstimatedCloseFee: 6m,
        LeverageMin: 1m,
        LeverageMax: 75m,
        IsPriceStale: false,
        AccountEquity: 100_000m,
        ExistingNotionalInPair: 0m,
        ExistingAtRiskInPair: 0m,
        DayStartEquity: 100_000m,
        CurrentEquity: 100_000m,
        IsConfirmed: false);

    /// <summary>The mirror short: liquidation at 3,000 × (1 + 0.9 / 10) = 3,270; default SL 3,270 − 15 = 3,255.</summary>
    public static OpenRiskRequest Short() => Long() with { IsLong = false, LiquidationPrice = 3_270m };

    /// <summary>The same order at another leverage, with the venue's liquidation at a 90% loss: entry × (1 ∓ 0.9 / leverage).</summary>
    public static OpenRiskRequest AtLeverage(this OpenRiskRequest request, decimal leverage) => request with
    {
        Leverage = leverage,
        LiquidationPrice = request.IsLong
            ? request.EntryPrice * (1m - (0.9m / leverage))
            : request.EntryPrice * (1m + (0.9m / leverage)),
    };

    public static IOptions<RiskOptions> Options(RiskOptions? options = null) =>
        Microsoft.Extensions.Options.Options.Create(options ?? new RiskOptions());

    public static LeverageSafetyManager Manager(RiskOptions? options = null, params IOpenRiskRule[] extra)
    {
        var o = Options(options);
        return new LeverageSafetyManager(LeverageSafetyManager.BuiltInRules(o).Concat(extra), o);
    }

    public static void ShouldPass(this RiskCheck check) =>
        check.Outcome.ShouldBe(RiskCheckOutcome.Pass, check.Message);

    public static string ShouldReject(this RiskCheck check)
    {
        check.Outcome.ShouldBe(RiskCheckOutcome.Reject);
        check.Message.ShouldNotBeNullOrWhiteSpace();
        return check.Message!;
    }

    public static RiskDecision.Approved ShouldBeApproved(this RiskDecision decision)
    {
        if (decision is not RiskDecision.Approved approved)
        {
            throw new ShouldAssertException($"Expected Approved but got {decision}");
        }

        return approved;
    }

    public static RiskDecision.Rejected ShouldBeRejectedBy(this RiskDecision decision, string rule)
    {
        if (decision is not RiskDecision.Rejected rejected)
        {
            throw new ShouldAssertException($"Expected Rejected by {rule} but got {decision}");
        }

        rejected.Rule.ShouldBe(rule, rejected.Message);
        return rejected;
    }
}
