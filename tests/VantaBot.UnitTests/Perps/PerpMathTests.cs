using VantaBot.Trading.Perps;

namespace VantaBot.UnitTests.Perps;

public sealed class PerpMathTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Entry_price_takes_the_spread_against_the_trader()
    {
        PerpMath.EntryPrice(3000m, Side.Long, 0.0003m).ShouldBe(3000.9m);
        PerpMath.EntryPrice(3000m, Side.Short, 0.0003m).ShouldBe(2999.1m);
        PerpMath.EntryPrice(3000m, Side.Long, 0m).ShouldBe(3000m);
    }

    [Fact]
    public void Exit_price_takes_the_spread_against_the_trader()
    {
        PerpMath.ExitPrice(3000m, Side.Long, 0.0003m).ShouldBe(2999.1m);
        PerpMath.ExitPrice(3000m, Side.Short, 0.0003m).ShouldBe(3000.9m);
    }

    [Fact]
    public void Open_fee_is_taken_from_the_posted_collateral()
    {
        PerpMath.OpenFee(1000m, 0.0006m).ShouldBe(0.6m);
        PerpMath.OpenFeeOnPosted(100m, 10m, 0.0006m).ShouldBe(0.6m);
        PerpMath.CollateralAfterOpenFee(100m, 10m, 0.0006m).ShouldBe(99.4m);

        // 500x at 6 bps: the fee is 30% of what was posted.
        PerpMath.CollateralAfterOpenFee(100m, 500m, 0.0006m).ShouldBe(70m);

        // A fee rate times leverage of 100% or more leaves nothing: callers reject.
        PerpMath.CollateralAfterOpenFee(100m, 2000m, 0.0006m).ShouldBeLessThanOrEqualTo(0m);
    }

    [Theory]
    [InlineData(Side.Long, 3300, 100)]
    [InlineData(Side.Long, 2700, -100)]
    [InlineData(Side.Short, 2700, 100)]
    [InlineData(Side.Short, 3300, -100)]
    [InlineData(Side.Long, 3000, 0)]
    public void Gross_pnl_signs_follow_the_side(Side side, int exit, int expected) =>
        PerpMath.GrossPnl(side, 3000m, exit, 1000m).ShouldBe(expected);

    [Fact]
    public void Gross_pnl_on_fractional_prices()
    {
        // (3300 − 3000.9) / 3000.9 · 994 = 299.1 · 994 / 3000.9
        PerpMath.GrossPnl(Side.Long, 3000.9m, 3300m, 994m).ShouldBe(299.1m * 994m / 3000.9m);
    }

    [Fact]
    public void Rollover_fee_accrues_per_fractional_hour_and_is_never_negative()
    {
        // 1000 · 0.00001 · 1.5 h = 0.015
        PerpMath.RolloverFee(1000m, 0.00001m, T0, T0.AddMinutes(90)).ShouldBe(0.015m);
        PerpMath.RolloverFee(1000m, 0.00001m, T0, T0.AddHours(24)).ShouldBe(0.24m);
        PerpMath.RolloverFee(1000m, 0.00001m, T0, T0.AddSeconds(36)).ShouldBe(0.0001m);
        PerpMath.RolloverFee(1000m, 0.00001m, T0, T0).ShouldBe(0m);
        PerpMath.RolloverFee(1000m, 0.00001m, T0, T0.AddHours(-5)).ShouldBe(0m);
    }

    [Fact]
    public void Liquidation_price_follows_avantis_v1()
    {
        // Long ETH 3000, 10x, collateral 100: distance = 3000 · (100 · 0.9 − 0) / (100 · 10) = 270.
        PerpMath.LiquidationPrice(Side.Long, 3000m, 100m, 10m, 0m, 0.1m).ShouldBe(2730m);
        PerpMath.LiquidationPrice(Side.Short, 3000m, 100m, 10m, 0m, 0.1m).ShouldBe(3270m);

        // A rollover fee of 10 eats into the buffer: distance = 3000 · (90 − 10) / 1000 = 240.
        PerpMath.LiquidationPrice(Side.Long, 3000m, 100m, 10m, 10m, 0.1m).ShouldBe(2760m);
        PerpMath.LiquidationPrice(Side.Short, 3000m, 100m, 10m, 10m, 0.1m).ShouldBe(3240m);

        // 100x: distance = 3000 · 90 / 10000 = 27.
        PerpMath.LiquidationPrice(Side.Long, 3000m, 100m, 100m, 0m, 0.1m).ShouldBe(2973m);
    }

    [Fact]
    public void Liquidation_price_is_never_below_zero_and_crosses_entry_when_fees_exceed_the_buffer()
    {
        // 1x with nothing remaining: distance = the whole entry.
        PerpMath.LiquidationPrice(Side.Long, 3000m, 100m, 1m, 0m, 0m).ShouldBe(0m);

        // A (nonsensical) remaining fraction below zero would push it under 0: floored.
        PerpMath.LiquidationPrice(Side.Long, 3000m, 100m, 1m, 0m, -0.5m).ShouldBe(0m);

        // Rollover 100 > buffer 90: distance = 3000 · (−10) / 1000 = −30, the position is liquidatable now.
        PerpMath.LiquidationPrice(Side.Long, 3000m, 100m, 10m, 100m, 0.1m).ShouldBe(3030m);
        PerpMath.LiquidationPrice(Side.Short, 3000m, 100m, 10m, 100m, 0.1m).ShouldBe(2970m);
    }

    [Fact]
    public void Take_profit_cap_is_the_max_gain_on_collateral()
    {
        // 10x, +900%: price may move 90%.
        PerpMath.MaxTakeProfitPrice(Side.Long, 3000m, 10m, 9m).ShouldBe(5700m);
        PerpMath.MaxTakeProfitPrice(Side.Short, 3000m, 10m, 9m).ShouldBe(300m);
        PerpMath.MaxTakeProfitPrice(Side.Long, 3000m, 1m, 9m).ShouldBe(30000m);

        // A short below 9x can never make 900%: the cap is the smallest positive price.
        PerpMath.MaxTakeProfitPrice(Side.Short, 3000m, 9m, 9m).ShouldBe(PerpMath.MinPositivePrice);
        PerpMath.MaxTakeProfitPrice(Side.Short, 3000m, 5m, 9m).ShouldBe(PerpMath.MinPositivePrice);
        PerpMath.MinPositivePrice.ShouldBeGreaterThan(0m);
    }

    [Fact]
    public void Stop_loss_limit_is_the_max_loss_on_collateral()
    {
        // 10x, −80%: price may move 8%.
        PerpMath.StopLossLimitPrice(Side.Long, 3000m, 10m, 0.8m).ShouldBe(2760m);
        PerpMath.StopLossLimitPrice(Side.Short, 3000m, 10m, 0.8m).ShouldBe(3240m);
        PerpMath.StopLossLimitPrice(Side.Long, 3000m, 1m, 0.8m).ShouldBe(600m);
        PerpMath.StopLossLimitPrice(Side.Long, 3000m, 0.5m, 0.8m).ShouldBe(0m);
    }

    [Fact]
    public void Loss_fraction_is_positive_for_a_loss()
    {
        PerpMath.LossFractionAtPrice(Side.Long, 3000m, 2760m, 10m).ShouldBe(0.8m);
        PerpMath.LossFractionAtPrice(Side.Short, 3000m, 3240m, 10m).ShouldBe(0.8m);
        PerpMath.LossFractionAtPrice(Side.Long, 3000m, 3300m, 10m).ShouldBe(-1m);
        PerpMath.LossFractionAtPrice(Side.Short, 3000m, 2700m, 10m).ShouldBe(-1m);
        PerpMath.LossFractionAtPrice(Side.Long, 3000m, 3000m, 10m).ShouldBe(0m);
    }

    [Fact]
    public void Caps_and_loss_fraction_agree()
    {
        var sl = PerpMath.StopLossLimitPrice(Side.Long, 3000.9m, 25m, 0.8m);
        PerpMath.LossFractionAtPrice(Side.Long, 3000.9m, sl, 25m).ShouldBe(0.8m);
        var tp = PerpMath.MaxTakeProfitPrice(Side.Short, 2999.1m, 50m, 9m);
        PerpMath.LossFractionAtPrice(Side.Short, 2999.1m, tp, 50m).ShouldBe(-9m);
    }

    [Fact]
    public void Payout_is_collateral_plus_pnl_minus_fees_floored_at_zero()
    {
        PerpMath.Payout(100m, 50m, 0.6m, 0.015m).ShouldBe(149.385m);
        PerpMath.Payout(100m, -20m, 0.6m, 0m).ShouldBe(79.4m);
        PerpMath.Payout(100m, -100m, 0m, 0m).ShouldBe(0m);
        PerpMath.Payout(100m, -99.5m, 0.6m, 0m).ShouldBe(0m);
        PerpMath.Payout(100m, -150m, 0.6m, 1m).ShouldBe(0m);
    }

    [Fact]
    public void Bad_inputs_that_would_divide_by_zero_throw()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => PerpMath.GrossPnl(Side.Long, 0m, 1m, 1m));
        Should.Throw<ArgumentOutOfRangeException>(() => PerpMath.LiquidationPrice(Side.Long, 3000m, 0m, 10m, 0m, 0.1m));
        Should.Throw<ArgumentOutOfRangeException>(() => PerpMath.LiquidationPrice(Side.Long, 3000m, 100m, 0m, 0m, 0.1m));
        Should.Throw<ArgumentOutOfRangeException>(() => PerpMath.MaxTakeProfitPrice(Side.Long, 3000m, 0m, 9m));
    }
}
