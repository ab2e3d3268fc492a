using VantaBot.Risk;

namespace VantaBot.UnitTests.Risk;

// Each rule on its own, at its boundary, just inside and just outside. Numbers are hand-computed from the baseline
// in RiskTestData (ETH/USD long, 1,000 USD × 10x, entry = mark = 3,000, liquidation 2,730, fees 6 + 6, equity 100,000).
public sealed class RiskRulesTests
{
    private const decimal DefaultLongStop = 2_745m;

    // ---- StalePriceRule ----

    [Fact]
    public void Stale_price_rejects_naming_the_pair()
    {
        var message = new StalePriceRule().Check(RiskTestData.Long() with { IsPriceStale = true }, DefaultLongStop).ShouldReject();
        message.ShouldStartWith("Stale price:");
        message.ShouldContain("ETH/USD");
    }

    [Fact]
    public void Fresh_price_passes() =>
        new StalePriceRule().Check(RiskTestData.Long(), DefaultLongStop).ShouldPass();

    // ---- LeverageBoundsRule (both ends included) ----

    [Theory]
    [InlineData("1")]      // at the minimum
    [InlineData("1.01")]   // just inside
    [InlineData("74.99")]  // just inside
    [InlineData("75")]     // at the maximum
    public void Leverage_within_bounds_passes(string leverage) =>
        new LeverageBoundsRule().Check(RiskTestData.Long() with { Leverage = decimal.Parse(leverage) }, DefaultLongStop).ShouldPass();

    [Theory]
    [InlineData("0.99")]   // just below the minimum
    [InlineData("75.01")]  // just above the maximum
    public void Leverage_outside_bounds_is_rejected_with_the_range(string leverage)
    {
        var message = new LeverageBoundsRule().Check(RiskTestData.Long() with { Leverage = decimal.Parse(leverage) }, DefaultLongStop).ShouldReject();
        message.ShouldBe($"Leverage: {leverage}x is outside the allowed 1x–75x for ETH/USD.");
    }

    // ---- MaxPositionRule: existing + new ≤ 100,000 ----

    [Fact]
    public void Notional_exactly_at_the_limit_passes()
    {
        // 80,000 existing + 2,000 × 10 = 100,000.
        var request = RiskTestData.Long() with { Collateral = 2_000m, ExistingNotionalInPair = 80_000m };
        Rule<MaxPositionRule>().Check(request, DefaultLongStop).ShouldPass();
    }

    [Fact]
    public void Notional_just_below_the_limit_passes()
    {
        // 79,999.99 + 20,000 = 99,999.99.
        var request = RiskTestData.Long() with { Collateral = 2_000m, ExistingNotionalInPair = 79_999.99m };
        Rule<MaxPositionRule>().Check(request, DefaultLongStop).ShouldPass();
    }

    [Fact]
    public void Notional_a_cent_above_the_limit_is_rejected()
    {
        // 80,000.01 + 20,000 = 100,000.01.
        var request = RiskTestData.Long() with { Collateral = 2_000m, ExistingNotionalInPair = 80_000.01m };
        Rule<MaxPositionRule>().Check(request, DefaultLongStop).ShouldReject()
            .ShouldBe("Max position: 100,000.01 USD notional in ETH/USD (80,000.01 existing + 20,000 new) exceeds the 100,000 USD limit.");
    }

    [Fact]
    public void Adding_to_a_position_counts_the_existing_notional()
    {
        // The new order alone (4,000 × 10 = 40,000) is fine; with 80,000 already open it is 120,000.
        var request = RiskTestData.Long() with { Collateral = 4_000m };
        Rule<MaxPositionRule>().Check(request, DefaultLongStop).ShouldPass();

        Rule<MaxPositionRule>().Check(request with { ExistingNotionalInPair = 80_000m }, DefaultLongStop).ShouldReject()
            .ShouldBe("Max position: 120,000 USD notional in ETH/USD (80,000 existing + 40,000 new) exceeds the 100,000 USD limit.");
    }

    [Fact]
    public void A_single_order_above_the_limit_is_rejected()
    {
        // 1,000 × 100.01 = 100,010 > 100,000 with nothing else open.
        var request = RiskTestData.Long() with { Leverage = 100.01m };
        Rule<MaxPositionRule>().Check(request, DefaultLongStop).ShouldReject().ShouldContain("100,010 USD notional");
    }

    // ---- LiquidationBufferRule: loss at SL ≤ 0.90 − 0.05 = 0.85, strictly before liquidation ----

    [Fact]
    public void Long_stop_at_exactly_85_percent_loss_passes() =>
        // (3,000 − 2,745) / 3,000 × 10 = 0.85.
        Rule<LiquidationBufferRule>().Check(RiskTestData.Long(), 2_745m).ShouldPass();

    [Fact]
    public void Long_stop_just_inside_the_buffer_passes() =>
        // (3,000 − 2,745.03) / 3,000 × 10 = 0.8499.
        Rule<LiquidationBufferRule>().Check(RiskTestData.Long(), 2_745.03m).ShouldPass();

    [Fact]
    public void Long_stop_at_85_01_percent_loss_is_rejected_naming_both_prices()
    {
        // 3,000 × (1 − 0.8501 / 10) = 3,000 − 255.03 = 2,744.97.
        var message = Rule<LiquidationBufferRule>().Check(RiskTestData.Long(), 2_744.97m).ShouldReject();
        message.ShouldBe(
            "Liquidation buffer: the stop-loss at 2,744.97 would lose 85.01% of collateral; it must fire at least 5% of " +
            "collateral before liquidation at 2,730.00, so at or above 2,745.00 for this long (a loss of at most 85%).");
    }

    [Fact]
    public void Short_stop_at_exactly_85_percent_loss_passes() =>
        // (3,255 − 3,000) / 3,000 × 10 = 0.85.
        Rule<LiquidationBufferRule>().Check(RiskTestData.Short(), 3_255m).ShouldPass();

    [Fact]
    public void Short_stop_just_inside_the_buffer_passes() =>
        Rule<LiquidationBufferRule>().Check(RiskTestData.Short(), 3_254.97m).ShouldPass();

    [Fact]
    public void Short_stop_at_85_01_percent_loss_is_rejected()
    {
        // 3,000 × (1 + 0.8501 / 10) = 3,255.03.
        var message = Rule<LiquidationBufferRule>().Check(RiskTestData.Short(), 3_255.03m).ShouldReject();
        message.ShouldContain("3,255.03");
        message.ShouldContain("liquidation at 3,270.00");
        message.ShouldContain("at or below 3,255.00 for this short");
    }

    [Fact]
    public void Stop_at_or_beyond_liquidation_is_rejected_even_with_no_buffer()
    {
        // A zero buffer cannot pass validation, but the rule still refuses a stop that is not strictly before liquidation.
        var rule = new LiquidationBufferRule(RiskTestData.Options(new RiskOptions { LiquidationBufferFraction = 0m }));
        rule.Check(RiskTestData.Long(), 2_730m).ShouldReject();
        rule.Check(RiskTestData.Long(), 2_729.99m).ShouldReject();
        rule.Check(RiskTestData.Long(), 2_730.01m).ShouldPass();
        rule.Check(RiskTestData.Short(), 3_270m).ShouldReject();
        rule.Check(RiskTestData.Short(), 3_269.99m).ShouldPass();
    }

    [Fact]
    public void The_buffer_follows_the_venues_liquidation_price()
    {
        // Liquidation at 2,760 (80% loss): limit 2,760 + 15 = 2,775 (75% loss).
        var request = RiskTestData.Long() with { LiquidationPrice = 2_760m };
        Rule<LiquidationBufferRule>().Check(request, 2_775m).ShouldPass();
        Rule<LiquidationBufferRule>().Check(request, 2_774.99m).ShouldReject().ShouldContain("at or above 2,775.00");
    }

    // ---- MaxRiskPerPositionRule: existing at-risk + collateral × loss at SL + fees ≤ 10% of equity ----

    [Fact]
    public void Risk_exactly_at_10_percent_of_equity_passes()
    {
        // New: 1,000 × 0.85 + 6 + 6 = 862; + 138 existing = 1,000 = 10% of 10,000.
        var request = RiskTestData.Long() with { AccountEquity = 10_000m, ExistingAtRiskInPair = 138m };
        Rule<MaxRiskPerPositionRule>().Check(request, DefaultLongStop).ShouldPass();
    }

    [Fact]
    public void Risk_just_below_10_percent_passes()
    {
        // 137.99 + 862 = 999.99 ≤ 1,000.
        var request = RiskTestData.Long() with { AccountEquity = 10_000m, ExistingAtRiskInPair = 137.99m };
        Rule<MaxRiskPerPositionRule>().Check(request, DefaultLongStop).ShouldPass();
    }

    [Fact]
    public void Risk_a_cent_above_10_percent_is_rejected_with_the_breakdown()
    {
        // 138.01 + 862 = 1,000.01 > 1,000.
        var request = RiskTestData.Long() with { AccountEquity = 10_000m, ExistingAtRiskInPair = 138.01m };
        Rule<MaxRiskPerPositionRule>().Check(request, DefaultLongStop).ShouldReject().ShouldBe(
            "Max risk per position: 1,000.01 USD at risk in ETH/USD (138.01 existing + 862 new: 850 lost at the stop-loss " +
            "2,745.00 + 12 fees) exceeds 10% of the 10,000 USD account equity (1,000 USD).");
    }

    [Fact]
    public void Risk_uses_the_given_stop_loss()
    {
        // SL 2,850: (3,000 − 2,850) / 3,000 × 10 = 0.5 → 500 + 12 = 512; 10% of 5,120 = 512 passes, of 5,119.99 fails.
        var request = RiskTestData.Long() with { AccountEquity = 5_120m };
        Rule<MaxRiskPerPositionRule>().Check(request, 2_850m).ShouldPass();
        Rule<MaxRiskPerPositionRule>().Check(request with { AccountEquity = 5_119.99m }, 2_850m).ShouldReject();
        // The default stop (862 at risk) does not fit in 512.
        Rule<MaxRiskPerPositionRule>().Check(request, DefaultLongStop).ShouldReject();
    }

    [Fact]
    public void Short_risk_is_mirrored()
    {
        // SL 3,150: (3,150 − 3,000) / 3,000 × 10 = 0.5 → 512 at risk; 10% of 5,120.
        var request = RiskTestData.Short() with { AccountEquity = 5_120m };
        Rule<MaxRiskPerPositionRule>().Check(request, 3_150m).ShouldPass();
        Rule<MaxRiskPerPositionRule>().Check(request, 3_150.01m).ShouldReject();
    }

    // ---- DailyLossRule: (start − now) / start ≥ 20% blocks ----

    [Fact]
    public void Daily_loss_of_exactly_20_percent_blocks()
    {
        // (10,000 − 8,000) / 10,000 = 0.20: "20% or more" blocks.
        var request = RiskTestData.Long() with { DayStartEquity = 10_000m, CurrentEquity = 8_000m };
        Rule<DailyLossRule>().Check(request, DefaultLongStop).ShouldReject().ShouldBe(
            "Daily loss limit: equity is down 20% today (10,000 → 8,000 USD), at or beyond the 20% limit; " +
            "new positions are blocked until the daily reset.");
    }

    [Fact]
    public void Daily_loss_of_19_99_percent_passes()
    {
        // (10,000 − 8,001) / 10,000 = 0.1999.
        var request = RiskTestData.Long() with { DayStartEquity = 10_000m, CurrentEquity = 8_001m };
        Rule<DailyLossRule>().Check(request, DefaultLongStop).ShouldPass();
    }

    [Fact]
    public void Daily_loss_of_20_01_percent_blocks()
    {
        var request = RiskTestData.Long() with { DayStartEquity = 10_000m, CurrentEquity = 7_999m };
        Rule<DailyLossRule>().Check(request, DefaultLongStop).ShouldReject().ShouldContain("down 20.01% today");
    }

    [Fact]
    public void A_day_in_profit_passes() =>
        Rule<DailyLossRule>().Check(RiskTestData.Long() with { DayStartEquity = 10_000m, CurrentEquity = 12_000m }, DefaultLongStop).ShouldPass();

    [Fact]
    public void A_day_that_started_without_equity_passes() =>
        Rule<DailyLossRule>().Check(RiskTestData.Long() with { DayStartEquity = 0m, CurrentEquity = 500m }, DefaultLongStop).ShouldPass();

    // ---- ExitPriceSideRule ----

    [Fact]
    public void Long_stop_below_mark_and_target_above_pass() =>
        new ExitPriceSideRule().Check(RiskTestData.Long() with { TakeProfit = 3_000.01m }, 2_999.99m).ShouldPass();

    [Fact]
    public void Long_stop_at_the_mark_is_rejected() =>
        new ExitPriceSideRule().Check(RiskTestData.Long(), 3_000m).ShouldReject()
            .ShouldBe("Stop-loss side: a long's stop-loss must be below the mark price 3,000.00 of ETH/USD; got 3,000.00.");

    [Fact]
    public void Long_target_at_the_mark_is_rejected() =>
        new ExitPriceSideRule().Check(RiskTestData.Long() with { TakeProfit = 3_000m }, DefaultLongStop).ShouldReject()
            .ShouldStartWith("Take-profit side:");

    [Fact]
    public void Short_sides_are_mirrored()
    {
        var rule = new ExitPriceSideRule();
        rule.Check(RiskTestData.Short() with { TakeProfit = 2_999.99m }, 3_000.01m).ShouldPass();
        rule.Check(RiskTestData.Short(), 3_000m).ShouldReject().ShouldContain("above the mark price 3,000.00");
        rule.Check(RiskTestData.Short() with { TakeProfit = 3_000m }, 3_255m).ShouldReject().ShouldContain("below the mark price");
    }

    // ---- HighLeverageConfirmationRule: above 50x asks unless confirmed ----

    [Fact]
    public void Leverage_50_needs_no_confirmation() =>
        Rule<HighLeverageConfirmationRule>().Check(RiskTestData.Long().AtLeverage(50m), 2_997m).ShouldPass();

    [Fact]
    public void Leverage_50_01_needs_confirmation() =>
        Rule<HighLeverageConfirmationRule>().Check(RiskTestData.Long().AtLeverage(50.01m), 2_997m).Outcome
            .ShouldBe(RiskCheckOutcome.NeedsConfirmation);

    [Fact]
    public void Leverage_50_01_confirmed_passes() =>
        Rule<HighLeverageConfirmationRule>().Check(RiskTestData.Long().AtLeverage(50.01m) with { IsConfirmed = true }, 2_997m).ShouldPass();

    [Fact]
    public void Confirmation_summary_shows_leverage_liquidation_distance_and_fees()
    {
        // 100x: liquidation 3,000 × (1 − 0.9 / 100) = 2,973, i.e. 27 / 3,000 = 0.9% from the entry;
        // default SL 2,973 + 3,000 × 0.05 / 100 = 2,974.50.
        var check = Rule<HighLeverageConfirmationRule>().Check(RiskTestData.Long().AtLeverage(100m), 2_974.5m);
        check.Outcome.ShouldBe(RiskCheckOutcome.NeedsConfirmation);
        check.Message.ShouldBe(
            "High leverage: ETH/USD long at 100x (above 50x), 100,000 USD notional. Liquidation at 2,973.00, 0.9% from the " +
            "entry 3,000.00. Stop-loss at 2,974.50. Fees: 6 USD to open + 6 USD estimated to close. Confirm to place the order.");
    }

    private static T Rule<T>(RiskOptions? options = null)
        where T : IOpenRiskRule =>
        (T)Activator.CreateInstance(typeof(T), RiskTestData.Options(options))!;
}
