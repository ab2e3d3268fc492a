using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Risk;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;
using VantaBot.UnitTests.DailyLoss;
using VantaBot.UnitTests.Ledger;
using VantaBot.Trading.DailyLoss;

namespace VantaBot.UnitTests.Perps;

public sealed class PerpTradeServiceTests
{
    private static readonly UserId Trader = new(42);
    private static readonly Pair Eth = Pair.Usd("ETH");
    private static readonly Pair Btc = Pair.Usd("BTC");

    [Fact]
    public async Task A_plain_10x_long_opens_debits_the_collateral_and_gets_the_venue_capped_stop_loss()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);

        var outcome = await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m), default);

        var opened = outcome.ShouldBeOfType<OpenPositionOutcome.Opened>();
        var p = opened.Position;

        // Mark 3000, 3 bps spread → entry 3000.9; fee 1000 · 10 · 0.0006 = 6 → collateral 994; liquidation at a 90% loss
        // = 3000.9 · 0.91 = 2730.819. Risk default (85% loss) = 2730.819 + 3000.9 · 0.05 / 10 = 2745.8235; the venue's
        // −80% cap, taken from the worst fill the 0.5% slippage accepts = 3000.9 · 1.005 · 0.92 = 2774.63214, is the
        // tighter of the two, so the bot's stop-loss sits there.
        p.Pair.ShouldBe(Eth);
        p.Side.ShouldBe(Side.Long);
        p.EntryPrice.ShouldBe(3000.9m);
        p.Collateral.ShouldBe(994m);
        p.OpenFee.ShouldBe(6m);
        p.LiquidationPrice.ShouldBe(2730.819m);
        p.StopLoss.ShouldBe(2774.63214m);
        p.StopLossSetByBot.ShouldBeTrue();
        p.StopLoss.ShouldBeGreaterThan(2760.828m); // inside the cap at the checked entry itself

        opened.Notes.Count.ShouldBe(1);
        opened.Notes[0].ShouldContain("2,774.63214");
        opened.Notes[0].ShouldContain("80%");
        opened.Notes[0].ShouldContain("0.5% slippage");
        opened.Notes[0].ShouldContain("2,730.819");

        var account = await h.Ledger.GetAsync(Trader, default);
        account.Balance.ShouldBe(9_000m);
        account.Held.ShouldBe(0m);
        h.Ledger.Intents.Single().State.ShouldBe(IntentState.Filled);
        h.Ledger.Intents.Single().StopLoss.ShouldBe(2774.63214m);
    }

    [Fact]
    public async Task The_daily_loss_rule_measures_from_the_days_snapshot_and_a_new_day_starts_afresh()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);
        var today = DateOnly.FromDateTime(h.Clock.GetUtcNow().UtcDateTime);

        // The reset job recorded a richer start of day than the account now holds: 25% down, beyond the 20% limit.
        await h.Days.TryAddAsync(Trader, today, 13_400m, h.Clock.GetUtcNow(), default);
        var refused = await h.Service.OpenAsync(Order(Eth, Side.Long, 100m, 5m), default);
        refused.ShouldBeOfType<OpenPositionOutcome.Rejected>().Rule.ShouldBe(RiskRuleNames.DailyLoss);
        h.Ledger.Intents.ShouldBeEmpty();

        // Past midnight UTC there is no snapshot yet: the first order fixes the day's start at the current equity.
        h.Clock.Set(new DateTimeOffset(today.AddDays(1), new TimeOnly(0, 0, 1), TimeSpan.Zero));
        var opened = await h.Service.OpenAsync(Order(Eth, Side.Long, 100m, 5m, key: "next-day"), default);
        opened.ShouldBeOfType<OpenPositionOutcome.Opened>();
        h.Days.Snapshots[(Trader, today.AddDays(1))].ShouldBe(10_000m);
    }

    [Fact]
    public async Task A_gate_refusing_before_risk_stops_the_order_with_its_reason_and_writes_nothing()
    {
        var halt = new RecordingGate(TradeGateStage.BeforeRisk, GateDecision.Refuse("EmergencyStop", "Trading is halted by an admin."));
        var quota = new RecordingGate(TradeGateStage.BeforeCommit, GateDecision.Allow);
        var h = await Harness.CreateAsync(balance: 10_000m, gates: [halt, quota]);

        var rejected = (await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m), default)).ShouldBeOfType<OpenPositionOutcome.Rejected>();

        rejected.Rule.ShouldBe("EmergencyStop");
        rejected.Reason.ShouldBe("Trading is halted by an admin.");
        h.Ledger.Intents.ShouldBeEmpty();
        (await h.Ledger.GetAsync(Trader, default)).Available.ShouldBe(10_000m);
        quota.Attempts.ShouldBeEmpty();
        halt.Attempts.Single().ShouldBe(new TradeAttempt(Trader, TradeAction.OpenPerp, Eth, 10_000m, false, "update:1"));
    }

    [Fact]
    public async Task A_commit_gate_sees_only_orders_risk_approved_and_its_refusal_writes_nothing()
    {
        var quota = new RecordingGate(TradeGateStage.BeforeCommit, GateDecision.Refuse("RateLimit:PositionOpens", "5 opens per minute; next at 12:00:31 UTC."));
        var h = await Harness.CreateAsync(balance: 10_000m, gates: [quota]);

        // Risk refuses a stop-loss on the wrong side: the quota is never consulted.
        (await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m, stopLoss: 3500m), default)).ShouldBeOfType<OpenPositionOutcome.Rejected>();
        quota.Attempts.ShouldBeEmpty();

        var rejected = (await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m) with { IdempotencyKey = "update:2" }, default)).ShouldBeOfType<OpenPositionOutcome.Rejected>();
        rejected.Rule.ShouldBe("RateLimit:PositionOpens");
        quota.Attempts.Count.ShouldBe(1);
        h.Ledger.Intents.ShouldBeEmpty();
        (await h.Ledger.GetAsync(Trader, default)).Held.ShouldBe(0m);
    }

    [Fact]
    public async Task Gates_that_allow_let_the_order_open()
    {
        var halt = new RecordingGate(TradeGateStage.BeforeRisk, GateDecision.Allow);
        var quota = new RecordingGate(TradeGateStage.BeforeCommit, GateDecision.Allow);
        var h = await Harness.CreateAsync(balance: 10_000m, gates: [halt, quota]);

        (await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m), default)).ShouldBeOfType<OpenPositionOutcome.Opened>();

        halt.Attempts.Count.ShouldBe(1);
        quota.Attempts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_price_move_between_the_check_and_the_fill_within_the_slippage_still_opens_with_a_valid_bot_stop()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);

        // Checked at 3000; the venue then sees 3012 (+0.4%, inside the 0.5% slippage) for a 60x-like tight cap.
        h.Feed.MoveAfter(Eth, afterReads: 1, price: 3012m);
        var opened = (await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 40m), default)).ShouldBeOfType<OpenPositionOutcome.Opened>();

        opened.Position.EntryPrice.ShouldBe(3012.9036m);
        var venueCap = PerpMath.StopLossLimitPrice(Side.Long, opened.Position.EntryPrice, 40m, 0.8m);
        opened.Position.StopLoss.ShouldBeGreaterThanOrEqualTo(venueCap);
        opened.Position.StopLoss.ShouldBeLessThan(opened.Position.EntryPrice);
    }

    [Fact]
    public async Task A_price_move_against_the_trader_beyond_the_slippage_is_refused_and_releases_the_hold()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);

        h.Feed.MoveAfter(Eth, afterReads: 1, price: 3030m);
        var rejected = (await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m), default)).ShouldBeOfType<OpenPositionOutcome.Rejected>();

        rejected.Rule.ShouldBe(PerpRejectionCodes.PriceMoved);
        rejected.Reason.ShouldContain("send the order again");
        h.Ledger.Intents.Single().State.ShouldBe(IntentState.Failed);
        (await h.Ledger.GetAsync(Trader, default)).ShouldBe(new AccountSnapshot(Trader, 10_000m, 0m));
    }

    [Fact]
    public async Task A_plain_short_gets_the_venue_capped_stop_loss_above_the_entry()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);

        var opened = (await h.Service.OpenAsync(Order(Eth, Side.Short, 1000m, 10m), default)).ShouldBeOfType<OpenPositionOutcome.Opened>();

        // Entry 2999.1; venue cap from the worst accepted fill 2999.1 · 0.995 · 1.08 = 3222.83286 < risk default 3254.0235.
        opened.Position.EntryPrice.ShouldBe(2999.1m);
        opened.Position.StopLoss.ShouldBe(3222.83286m);
        opened.Position.StopLossSetByBot.ShouldBeTrue();
    }

    [Fact]
    public async Task A_trader_stop_loss_is_kept()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);

        var outcome = await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m, stopLoss: 2900m), default);

        var opened = outcome.ShouldBeOfType<OpenPositionOutcome.Opened>();
        opened.Position.StopLoss.ShouldBe(2900m);
        opened.Position.StopLossSetByBot.ShouldBeFalse();
        opened.Notes.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unknown_pair_is_rejected_naming_the_listed_pairs()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);

        var outcome = await h.Service.OpenAsync(Order(Pair.Usd("XRP"), Side.Long, 100m, 10m), default);

        var rejected = outcome.ShouldBeOfType<OpenPositionOutcome.Rejected>();
        rejected.Rule.ShouldBe("UnknownPair");
        rejected.Reason.ShouldContain("XRP/USD");
        rejected.Reason.ShouldContain("BTC, ETH, SOL, ARB, DOGE, LINK");
        h.Ledger.PlaceCalls.ShouldBe(0);
    }

    [Fact]
    public async Task No_price_is_rejected_and_nothing_is_placed()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);

        var outcome = await h.Service.OpenAsync(Order(Pair.Usd("LINK"), Side.Long, 100m, 10m), default);

        var rejected = outcome.ShouldBeOfType<OpenPositionOutcome.Rejected>();
        rejected.Rule.ShouldBe(RiskRuleNames.StalePrice);
        rejected.Reason.ShouldContain("LINK/USD");
        h.Ledger.PlaceCalls.ShouldBe(0);
        h.Ledger.Intents.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_stale_price_is_rejected_by_the_stale_price_rule_and_no_intent_is_placed()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);
        h.Feed.Set(Eth, 3000m, stale: true);

        var outcome = await h.Service.OpenAsync(Order(Eth, Side.Long, 100m, 10m), default);

        var rejected = outcome.ShouldBeOfType<OpenPositionOutcome.Rejected>();
        rejected.Rule.ShouldBe(RiskRuleNames.StalePrice);
        rejected.Reason.ShouldContain("stale");
        h.Ledger.PlaceCalls.ShouldBe(0);
        h.Ledger.Intents.ShouldBeEmpty();
        h.Ledger.Positions.ShouldBeEmpty();
    }

    [Fact]
    public async Task Insufficient_funds_are_rejected_naming_the_available_amount_and_nothing_opens()
    {
        // A tight stop-loss keeps the risk rule satisfied on a 900 balance, so the ledger is what refuses.
        var h = await Harness.CreateAsync(balance: 900m);

        var outcome = await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m, stopLoss: 2990m), default);

        var rejected = outcome.ShouldBeOfType<OpenPositionOutcome.Rejected>();
        rejected.Rule.ShouldBe("InsufficientFunds");
        rejected.Reason.ShouldContain("900.00");
        rejected.Reason.ShouldContain("1,000.00");
        h.Ledger.Positions.ShouldBeEmpty();
        h.Ledger.Intents.ShouldBeEmpty();
        (await h.Ledger.GetAsync(Trader, default)).Available.ShouldBe(900m);
    }

    [Fact]
    public async Task Funds_held_by_another_order_are_not_available()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);
        h.Ledger.Seed(Intent(IntentState.Submitted, collateral: 9_500m), hold: 9_500m);

        var outcome = await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m), default);

        var rejected = outcome.ShouldBeOfType<OpenPositionOutcome.Rejected>();
        rejected.Rule.ShouldBe("InsufficientFunds");
        rejected.Reason.ShouldContain("Available balance 500.00 USDC");
    }

    [Fact]
    public async Task Sixty_x_needs_confirmation_and_places_nothing_until_confirmed()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);
        var order = Order(Btc, Side.Long, 100m, 60m);

        var first = await h.Service.OpenAsync(order, default);

        var card = first.ShouldBeOfType<OpenPositionOutcome.NeedsConfirmation>();
        card.Summary.ShouldContain("60x");
        h.Ledger.PlaceCalls.ShouldBe(0);
        h.Ledger.Intents.ShouldBeEmpty();
        (await h.Ledger.GetAsync(Trader, default)).Available.ShouldBe(10_000m);

        var confirmed = await h.Service.OpenAsync(order with { IsConfirmed = true }, default);

        var opened = confirmed.ShouldBeOfType<OpenPositionOutcome.Opened>();
        opened.Position.Leverage.ShouldBe(60m);
        opened.Position.Pair.ShouldBe(Btc);
        (await h.Ledger.GetAsync(Trader, default)).Balance.ShouldBe(9_900m);
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_opens_one_position()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);
        var order = Order(Eth, Side.Long, 100m, 10m);

        var first = (await h.Service.OpenAsync(order, default)).ShouldBeOfType<OpenPositionOutcome.Opened>();
        var second = await h.Service.OpenAsync(order, default);

        var again = second.ShouldBeOfType<OpenPositionOutcome.AlreadyHandled>();
        again.State.ShouldBe(nameof(IntentState.Filled));
        again.Position.ShouldNotBeNull();
        again.Position.Id.ShouldBe(first.Position.Id);
        h.Ledger.Positions.Count.ShouldBe(1);
        h.Ledger.Intents.Count.ShouldBe(1);
        (await h.Ledger.GetAsync(Trader, default)).Balance.ShouldBe(9_900m);
    }

    [Fact]
    public async Task A_venue_rejection_fails_the_intent_and_releases_the_hold()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);

        // At 10x the +900% cap is 3000.9 · 1.9 = 5701.71; 6000 is beyond it. The risk rules only check the side.
        var outcome = await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m, takeProfit: 6000m), default);

        var rejected = outcome.ShouldBeOfType<OpenPositionOutcome.Rejected>();
        rejected.Rule.ShouldBe(PerpRejectionCodes.TakeProfit);
        rejected.Reason.ShouldContain("5701.71");

        var intent = h.Ledger.Intents.Single();
        intent.State.ShouldBe(IntentState.Failed);
        intent.FailureReason.ShouldNotBeNull();
        intent.FailureReason.ShouldStartWith(PerpRejectionCodes.TakeProfit + ":");
        h.Ledger.HoldOf(intent.Id).ShouldBe(0m);
        var account = await h.Ledger.GetAsync(Trader, default);
        account.Available.ShouldBe(10_000m);
        account.Balance.ShouldBe(10_000m);
        h.Ledger.Positions.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_venue_that_throws_leaves_the_intent_submitted_with_its_hold_for_recovery()
    {
        var h = await Harness.CreateAsync(balance: 10_000m, throwOnOpen: true);

        var outcome = await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m), default);

        var unknown = outcome.ShouldBeOfType<OpenPositionOutcome.Unknown>();
        unknown.Reason.ShouldNotBeNullOrWhiteSpace();
        h.ThrowingVenue!.OpenCalls.ShouldBe(1);

        var intent = h.Ledger.Intents.Single();
        intent.State.ShouldBe(IntentState.Submitted);
        intent.StopLoss.ShouldBe(2774.63214m);
        h.Ledger.HoldOf(intent.Id).ShouldBe(1000m);
        var account = await h.Ledger.GetAsync(Trader, default);
        account.Balance.ShouldBe(10_000m);
        account.Available.ShouldBe(9_000m);
        h.Ledger.Positions.ShouldBeEmpty();
        (await h.Ledger.GetUnresolvedAsync(default)).ShouldHaveSingleItem().Id.ShouldBe(intent.Id);
    }

    [Fact]
    public async Task Cancellation_during_the_venue_call_is_not_swallowed()
    {
        var h = await Harness.CreateAsync(balance: 10_000m);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m), cts.Token));
    }

    [Fact]
    public async Task A_second_long_past_the_pair_limit_is_rejected_by_max_position_though_alone_it_passes()
    {
        var risk = new RiskOptions { MaxPositionUsd = 15_000m };

        // Alone, 1000 × 10x (9,940 notional after the fee) is within the 15,000 limit.
        var alone = await Harness.CreateAsync(balance: 100_000m, risk);
        (await alone.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m, key: "update:2"), default)).ShouldBeOfType<OpenPositionOutcome.Opened>();

        var h = await Harness.CreateAsync(balance: 100_000m, risk);
        (await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m, key: "update:1"), default)).ShouldBeOfType<OpenPositionOutcome.Opened>();

        var second = await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m, key: "update:2"), default);

        var rejected = second.ShouldBeOfType<OpenPositionOutcome.Rejected>();
        rejected.Rule.ShouldBe(RiskRuleNames.MaxPosition);
        rejected.Reason.ShouldContain("15,000");
        h.Ledger.Positions.Count.ShouldBe(1);
        h.Ledger.PlaceCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Exposure_in_another_pair_does_not_count_towards_the_pair_limit()
    {
        var risk = new RiskOptions { MaxPositionUsd = 15_000m };
        var h = await Harness.CreateAsync(balance: 100_000m, risk);
        (await h.Service.OpenAsync(Order(Btc, Side.Long, 1000m, 10m, key: "update:1"), default)).ShouldBeOfType<OpenPositionOutcome.Opened>();

        var eth = await h.Service.OpenAsync(Order(Eth, Side.Long, 1000m, 10m, key: "update:2"), default);

        eth.ShouldBeOfType<OpenPositionOutcome.Opened>();
    }

    private static OpenPositionOrder Order(
        Pair pair, Side side, decimal collateral, decimal leverage, decimal? takeProfit = null, decimal? stopLoss = null, string key = "update:1") =>
        new(Trader, key, pair, side, collateral, leverage, takeProfit, stopLoss, IsConfirmed: false);

    private static OrderIntent Intent(IntentState state, decimal collateral) =>
        new(IntentId.New(), Trader, IntentKind.OpenPerp, state, "update:other", Btc, Side.Long, collateral, 2m, null, 50_000m, null, 0m, null,
            new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.Zero));

    private sealed class Harness
    {
        private Harness(InMemoryLedger ledger, SettablePriceFeed feed, PerpTradeService service, ThrowingOpenVenue? throwingVenue)
        {
            Ledger = ledger;
            Feed = feed;
            Service = service;
            ThrowingVenue = throwingVenue;
        }

        public InMemoryLedger Ledger { get; }

        public SettablePriceFeed Feed { get; }

        public PerpTradeService Service { get; }

        public ThrowingOpenVenue? ThrowingVenue { get; }

        public ManualClock Clock { get; private init; } = null!;

        public InMemoryDailyStores Days { get; private init; } = null!;

        public static async Task<Harness> CreateAsync(decimal balance, RiskOptions? risk = null, bool throwOnOpen = false, IReadOnlyList<ITradeGate>? gates = null)
        {
            var clock = new ManualClock();
            var ledger = new InMemoryLedger();
            await ledger.DepositAsync(Trader, balance, "seed", default);
            var days = new InMemoryDailyStores();
            var feed = new SettablePriceFeed(clock);
            feed.Set(Btc, 60_000m);
            feed.Set(Eth, 3_000m);
            var markets = new DefaultPerpMarkets();
            var paper = new PaperPerpVenue(markets, feed, clock);
            var throwing = throwOnOpen ? new ThrowingOpenVenue(paper) : null;
            var opts = Options.Create(risk ?? new RiskOptions());
            var manager = new LeverageSafetyManager(LeverageSafetyManager.BuiltInRules(opts), opts);
            var service = new PerpTradeService(
                ledger, new PortfolioValuation(ledger, feed), (IPerpVenue?)throwing ?? paper, markets, feed, manager, new TradeGates(gates ?? []), opts, clock,
                new DayStartEquity(days, clock), NullLogger<PerpTradeService>.Instance);
            return new Harness(ledger, feed, service, throwing) { Clock = clock, Days = days };
        }
    }

    private sealed class RecordingGate(TradeGateStage stage, GateDecision decision) : ITradeGate
    {
        public List<TradeAttempt> Attempts { get; } = [];

        public TradeGateStage Stage => stage;

        public ValueTask<GateDecision> CheckAsync(TradeAttempt attempt, CancellationToken cancellationToken)
        {
            Attempts.Add(attempt);
            return ValueTask.FromResult(decision);
        }
    }
}
