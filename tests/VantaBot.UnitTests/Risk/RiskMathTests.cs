using VantaBot.Risk;

namespace VantaBot.UnitTests.Risk;

public sealed class RiskMathTests
{
    [Fact]
    public void Default_long_stop_sits_exactly_at_the_buffer()
    {
        // entry 3,000, 10x, liquidation 2,730: 2,730 + 3,000 × 0.05 / 10 = 2,745 = 3,000 × (1 − 0.85 / 10).
        var request = RiskTestData.Long();
        RiskMath.DefaultStopLoss(request, 0.05m).ShouldBe(2_745m);
        RiskMath.LossFractionAt(request, 2_745m).ShouldBe(0.85m);
    }

    [Fact]
    public void Default_short_stop_is_mirrored()
    {
        // entry 3,000, 10x, liquidation 3,270: 3,270 − 15 = 3,255 = 3,000 × (1 + 0.85 / 10).
        var request = RiskTestData.Short();
        RiskMath.DefaultStopLoss(request, 0.05m).ShouldBe(3_255m);
        RiskMath.LossFractionAt(request, 3_255m).ShouldBe(0.85m);
    }

    [Fact]
    public void Default_stop_at_high_leverage()
    {
        // 100x long: liquidation 2,973; SL 2,973 + 3,000 × 0.05 / 100 = 2,974.5 = 3,000 × (1 − 0.0085).
        RiskMath.DefaultStopLoss(RiskTestData.Long().AtLeverage(100m), 0.05m).ShouldBe(2_974.5m);
        // 100x short: liquidation 3,027; SL 3,027 − 1.5 = 3,025.5.
        RiskMath.DefaultStopLoss(RiskTestData.Short().AtLeverage(100m), 0.05m).ShouldBe(3_025.5m);
    }

    [Fact]
    public void Default_stop_rounds_toward_the_entry_when_not_exact()
    {
        // entry 100, 3x, liquidation 100 × (1 − 0.3) = 70: limit 70 + 100 × 0.05 / 3 = 71.666…;
        // rounded up (toward the entry) to 8 decimals: 71.66666667, a loss of (100 − 71.66666667) / 100 × 3 = 0.8499999999.
        var request = RiskTestData.Long() with { EntryPrice = 100m, MarkPrice = 100m, Leverage = 3m, LiquidationPrice = 70m };
        var stop = RiskMath.DefaultStopLoss(request, 0.05m);
        stop.ShouldBe(71.66666667m);
        RiskMath.LossFractionAt(request, stop).ShouldBe(0.8499999999m);

        // Short: liquidation 130, limit 128.333…, rounded down to 128.33333333.
        var shortRequest = request with { IsLong = false, LiquidationPrice = 130m };
        RiskMath.DefaultStopLoss(shortRequest, 0.05m).ShouldBe(128.33333333m);
    }

    [Fact]
    public void At_risk_is_the_loss_at_the_stop_plus_both_fees()
    {
        // 1,000 × 0.85 + 6 + 6 = 862.
        RiskMath.AtRisk(RiskTestData.Long(), 2_745m).ShouldBe(862m);
        // A stop on the profit side loses nothing; the fees remain.
        RiskMath.AtRisk(RiskTestData.Long(), 3_100m).ShouldBe(12m);
    }
}
