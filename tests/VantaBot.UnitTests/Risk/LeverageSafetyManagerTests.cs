using VantaBot.Risk;

namespace VantaBot.UnitTests.Risk;

public sealed class LeverageSafetyManagerTests
{
    // ---- approval and the effective stop-loss ----

    [Fact]
    public void No_stop_from_the_trader_gets_the_bots_default_with_a_note()
    {
        // Default SL 2,730 + 3,000 × 0.05 / 10 = 2,745.
        var approved = RiskTestData.Manager().Evaluate(RiskTestData.Long()).ShouldBeApproved();
        approved.StopLoss.ShouldBe(2_745m);
        approved.StopLossWasSetByBot.ShouldBeTrue();
        approved.Notes.ShouldBe(["Stop-loss set by the bot at 2,745.00 (5% of collateral before liquidation at 2,730.00)"]);
    }

    [Fact]
    public void Short_without_a_stop_gets_the_mirrored_default()
    {
        var approved = RiskTestData.Manager().Evaluate(RiskTestData.Short()).ShouldBeApproved();
        approved.StopLoss.ShouldBe(3_255m);
        approved.Notes.ShouldBe(["Stop-loss set by the bot at 3,255.00 (5% of collateral before liquidation at 3,270.00)"]);
    }

    [Fact]
    public void Default_stop_that_is_not_exact_still_passes_every_rule()
    {
        // 3x on a 100 USD token: default SL 71.66666667 (rounded toward the entry), see RiskMathTests.
        var request = RiskTestData.Long() with { EntryPrice = 100m, MarkPrice = 100m, Leverage = 3m, LiquidationPrice = 70m };
        RiskTestData.Manager().Evaluate(request).ShouldBeApproved().StopLoss.ShouldBe(71.66666667m);
    }

    [Fact]
    public void The_traders_stop_is_kept_without_a_note()
    {
        var approved = RiskTestData.Manager().Evaluate(RiskTestData.Long() with { StopLoss = 2_850m }).ShouldBeApproved();
        approved.StopLoss.ShouldBe(2_850m);
        approved.StopLossWasSetByBot.ShouldBeFalse();
        approved.Notes.ShouldBeEmpty();
    }

    [Fact]
    public void The_traders_stop_beyond_the_buffer_is_rejected_naming_both_prices()
    {
        var rejected = RiskTestData.Manager().Evaluate(RiskTestData.Long() with { StopLoss = 2_744.97m })
            .ShouldBeRejectedBy(RiskRuleNames.LiquidationBuffer);
        rejected.Message.ShouldContain("2,744.97");
        rejected.Message.ShouldContain("2,730.00");
        rejected.Message.ShouldContain("2,745.00");
    }

    [Fact]
    public void Max_risk_is_judged_on_the_effective_stop()
    {
        // 10% of 8,000 = 800. Default SL risks 862 → rejected; the trader's SL 2,850 risks 512 → approved.
        var request = RiskTestData.Long() with { AccountEquity = 8_000m };
        RiskTestData.Manager().Evaluate(request).ShouldBeRejectedBy(RiskRuleNames.MaxRiskPerPosition)
            .Message.ShouldContain("862 new");
        RiskTestData.Manager().Evaluate(request with { StopLoss = 2_850m }).ShouldBeApproved();
    }

    // ---- confirmation ----

    [Fact]
    public void Leverage_50_is_approved_without_a_card() =>
        RiskTestData.Manager().Evaluate(RiskTestData.Long().AtLeverage(50m)).ShouldBeApproved();

    [Fact]
    public void Leverage_50_01_asks_for_confirmation()
    {
        var decision = RiskTestData.Manager().Evaluate(RiskTestData.Long().AtLeverage(50.01m));
        decision.ShouldBeOfType<RiskDecision.NeedsConfirmation>().Summary.ShouldContain("50.01x");
    }

    [Fact]
    public void Leverage_50_01_confirmed_is_approved() =>
        RiskTestData.Manager().Evaluate(RiskTestData.Long().AtLeverage(50.01m) with { IsConfirmed = true }).ShouldBeApproved();

    [Fact]
    public void Confirmation_summary_carries_the_numbers()
    {
        // 100x: 100,000 notional (at the limit), liquidation 2,973 (0.9% away), default SL 2,974.50.
        var summary = RiskTestData.Manager().Evaluate(RiskTestData.Long().AtLeverage(100m) with { LeverageMax = 500m })
            .ShouldBeOfType<RiskDecision.NeedsConfirmation>().Summary;
        summary.ShouldContain("100x");
        summary.ShouldContain("Liquidation at 2,973.00, 0.9% from the entry 3,000.00");
        summary.ShouldContain("Stop-loss at 2,974.50");
        summary.ShouldContain("6 USD to open + 6 USD");
    }

    [Fact]
    public void A_card_is_never_shown_for_an_order_another_rule_rejects()
    {
        // 100.01x: 100,010 notional > 100,000 — rejected, not a confirmation card, and not after confirming either.
        var request = RiskTestData.Long().AtLeverage(100.01m) with { LeverageMax = 500m };
        RiskTestData.Manager().Evaluate(request).ShouldBeRejectedBy(RiskRuleNames.MaxPosition);
        RiskTestData.Manager().Evaluate(request with { IsConfirmed = true }).ShouldBeRejectedBy(RiskRuleNames.MaxPosition);
    }

    [Fact]
    public void A_confirmation_does_not_short_circuit_later_rules()
    {
        // An extra rule runs after the confirmation rule; its rejection still wins over the card.
        var manager = RiskTestData.Manager(null, new FakeRule("Extra", RiskCheck.Reject("Extra: no.")));
        manager.Evaluate(RiskTestData.Long().AtLeverage(60m)).ShouldBeRejectedBy("Extra").Message.ShouldBe("Extra: no.");
    }

    // ---- composition ----

    [Fact]
    public void Rules_run_in_the_managers_order_whatever_the_registration_order()
    {
        var options = RiskTestData.Options();
        var extraA = new FakeRule("ExtraA", RiskCheck.Pass);
        var extraB = new FakeRule("ExtraB", RiskCheck.Pass);
        var shuffled = new IOpenRiskRule[] { extraA }.Concat(LeverageSafetyManager.BuiltInRules(options).Reverse()).Append(extraB);
        new LeverageSafetyManager(shuffled, options).RuleOrder.ShouldBe([.. RiskRuleNames.BuiltInOrder, "ExtraA", "ExtraB"]);
    }

    [Fact]
    public void First_rejection_wins()
    {
        // Stale, over the leverage bounds, over the daily loss and over max position at once: the stale price is reported.
        var request = RiskTestData.Long().AtLeverage(120m) with
        {
            IsPriceStale = true,
            DayStartEquity = 10_000m,
            CurrentEquity = 5_000m,
        };
        var manager = RiskTestData.Manager();
        manager.Evaluate(request).ShouldBeRejectedBy(RiskRuleNames.StalePrice);
        manager.Evaluate(request with { IsPriceStale = false }).ShouldBeRejectedBy(RiskRuleNames.LeverageBounds);
        manager.Evaluate(request with { IsPriceStale = false, LeverageMax = 500m }).ShouldBeRejectedBy(RiskRuleNames.DailyLoss);
        manager.Evaluate(request with { IsPriceStale = false, LeverageMax = 500m, CurrentEquity = 10_000m })
            .ShouldBeRejectedBy(RiskRuleNames.MaxPosition);
    }

    [Fact]
    public void Among_extra_rules_the_first_registered_rejection_wins()
    {
        var manager = RiskTestData.Manager(
            null,
            new FakeRule("ExtraA", RiskCheck.Reject("A says no.")),
            new FakeRule("ExtraB", RiskCheck.Reject("B says no.")));
        manager.Evaluate(RiskTestData.Long()).ShouldBeRejectedBy("ExtraA");
    }

    [Fact]
    public void Every_rule_sees_the_effective_stop()
    {
        var spy = new FakeRule("Spy", RiskCheck.Pass);
        RiskTestData.Manager(null, spy).Evaluate(RiskTestData.Long());
        spy.SeenStopLoss.ShouldBe(2_745m);
    }

    [Fact]
    public void A_missing_built_in_rule_fails_construction()
    {
        var options = RiskTestData.Options();
        var rules = LeverageSafetyManager.BuiltInRules(options).Where(r => r.Name != RiskRuleNames.MaxPosition);
        Should.Throw<ArgumentException>(() => new LeverageSafetyManager(rules, options)).Message.ShouldContain("MaxPosition");
    }

    [Fact]
    public void A_rule_registered_twice_fails_construction()
    {
        var options = RiskTestData.Options();
        var rules = LeverageSafetyManager.BuiltInRules(options).Append(new StalePriceRule());
        Should.Throw<ArgumentException>(() => new LeverageSafetyManager(rules, options)).Message.ShouldContain("StalePrice");
    }

    // ---- incoherent requests fail closed ----

    [Fact]
    public void Liquidation_on_the_wrong_side_is_rejected_as_invalid()
    {
        RiskTestData.Manager().Evaluate(RiskTestData.Long() with { LiquidationPrice = 3_000m })
            .ShouldBeRejectedBy(RiskRuleNames.InvalidRequest).Message.ShouldContain("below the entry 3,000.00");
        RiskTestData.Manager().Evaluate(RiskTestData.Short() with { LiquidationPrice = 2_730m })
            .ShouldBeRejectedBy(RiskRuleNames.InvalidRequest);
    }

    [Fact]
    public void Non_positive_numbers_are_rejected_as_invalid()
    {
        var manager = RiskTestData.Manager();
        manager.Evaluate(RiskTestData.Long() with { Collateral = 0m }).ShouldBeRejectedBy(RiskRuleNames.InvalidRequest);
        manager.Evaluate(RiskTestData.Long() with { MarkPrice = 0m }).ShouldBeRejectedBy(RiskRuleNames.InvalidRequest);
        manager.Evaluate(RiskTestData.Long() with { StopLoss = 0m }).ShouldBeRejectedBy(RiskRuleNames.InvalidRequest);
        manager.Evaluate(RiskTestData.Long() with { OpenFee = -1m }).ShouldBeRejectedBy(RiskRuleNames.InvalidRequest);
        manager.Evaluate(RiskTestData.Long() with { LeverageMin = 80m }).ShouldBeRejectedBy(RiskRuleNames.InvalidRequest);
        manager.Evaluate(RiskTestData.Long() with { Pair = " " }).ShouldBeRejectedBy(RiskRuleNames.InvalidRequest);
    }

    private sealed class FakeRule(string name, RiskCheck result) : IOpenRiskRule
    {
        public string Name => name;

        public decimal? SeenStopLoss { get; private set; }

        public RiskCheck Check(OpenRiskRequest request, decimal effectiveStopLoss)
        {
            SeenStopLoss = effectiveStopLoss;
            return result;
        }
    }
}
