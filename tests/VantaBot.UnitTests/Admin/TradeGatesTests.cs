using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Risk;
using VantaBot.Trading.Control;
using VantaBot.Trading.Execution;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;
using VantaBot.UnitTests.Ledger;
using VantaBot.UnitTests.Perps;
using VantaBot.Trading.DailyLoss;
using VantaBot.UnitTests.DailyLoss;

namespace VantaBot.UnitTests.Admin;

public sealed class TradeGatesTests
{
    private static readonly UserId Trader = new(42);
    private static readonly Pair Eth = Pair.Usd("ETH");
    private readonly ManualClock _clock = new();

    [Theory]
    [InlineData(TradeAction.OpenPerp, false)]
    [InlineData(TradeAction.Swap, false)]
    [InlineData(TradeAction.ClosePerp, true)]
    public async Task An_emergency_stop_refuses_opens_and_swaps_and_lets_closes_through(TradeAction action, bool allowed)
    {
        var control = new SettableControl(_clock) { Stop = new EmergencyStop("exchange incident", new UserId(1), _clock.GetUtcNow(), false) };
        var gate = new EmergencyStopGate(control, TradeGateStage.BeforeRisk);

        var decision = await gate.CheckAsync(Attempt(action), default);

        decision.Allowed.ShouldBe(allowed);
        if (!allowed)
        {
            decision.Gate.ShouldBe("EmergencyStop");
            decision.Reason!.ShouldContain("exchange incident");
            decision.Reason!.ShouldContain("closing positions still works");
        }
    }

    [Fact]
    public async Task Without_a_stop_everything_passes()
    {
        var gate = new EmergencyStopGate(new SettableControl(_clock), TradeGateStage.BeforeCommit);
        gate.Stage.ShouldBe(TradeGateStage.BeforeCommit);
        (await gate.CheckAsync(Attempt(TradeAction.OpenPerp), default)).Allowed.ShouldBeTrue();
    }

    [Fact]
    public async Task A_stop_landing_after_the_order_passed_validation_refuses_it_before_anything_is_held()
    {
        var control = new SettableControl(_clock);

        // The first read (the BeforeRisk gate) sees no stop; the stop lands while the order is priced and risk-checked.
        control.StopAfterReads(1, new EmergencyStop("mid-order", new UserId(1), _clock.GetUtcNow(), false));
        var ledger = new InMemoryLedger();
        await ledger.DepositAsync(Trader, 10_000m, "seed", default);
        var service = Service(ledger, new TradeGates([new EmergencyStopGate(control, TradeGateStage.BeforeRisk), new EmergencyStopGate(control, TradeGateStage.BeforeCommit)]));

        var outcome = await service.OpenAsync(new OpenPositionOrder(Trader, "update:1", Eth, Side.Long, 1000m, 10m, null, null, false), default);

        outcome.ShouldBeOfType<OpenPositionOutcome.Rejected>().Rule.ShouldBe("EmergencyStop");
        control.Reads.ShouldBe(2);
        ledger.Intents.ShouldBeEmpty();
        (await ledger.GetAsync(Trader, default)).Available.ShouldBe(10_000m);
    }

    [Fact]
    public async Task An_order_that_would_be_live_without_a_live_venue_is_refused_never_run_on_paper()
    {
        var resolver = new FixedResolver(new EffectiveExecutionMode(ExecutionMode.Live, "test"));
        var gate = new LiveExecutionGate(resolver, new NoLiveVenues());

        var open = await gate.CheckAsync(Attempt(TradeAction.OpenPerp), default);
        open.Allowed.ShouldBeFalse();
        open.Gate.ShouldBe("ExecutionMode");
        open.Reason!.ShouldContain("no live venue");
        (await gate.CheckAsync(Attempt(TradeAction.Swap), default)).Allowed.ShouldBeFalse();

        // A close goes where its position lives (paper today), whatever the mode says now.
        (await gate.CheckAsync(Attempt(TradeAction.ClosePerp), default)).Allowed.ShouldBeTrue();
    }

    [Fact]
    public async Task A_dry_order_or_a_live_one_with_a_live_venue_passes()
    {
        (await new LiveExecutionGate(new FixedResolver(new(ExecutionMode.Dry, "dry")), new NoLiveVenues()).CheckAsync(Attempt(TradeAction.OpenPerp), default)).Allowed.ShouldBeTrue();
        (await new LiveExecutionGate(new FixedResolver(new(ExecutionMode.Live, "live")), new AllLiveVenues()).CheckAsync(Attempt(TradeAction.OpenPerp), default)).Allowed.ShouldBeTrue();
    }

    [Theory]
    [InlineData(false, ExecutionMode.Live, true, true, ExecutionMode.Dry, "Trading__AllowLive=false")]
    [InlineData(true, ExecutionMode.Dry, true, true, ExecutionMode.Dry, "global execution mode is DRY")]
    [InlineData(true, ExecutionMode.Live, false, true, ExecutionMode.Dry, "not opted in")]
    [InlineData(true, ExecutionMode.Live, true, false, ExecutionMode.Dry, "no configured wallet")]
    [InlineData(true, ExecutionMode.Live, true, true, ExecutionMode.Live, "opted in with a wallet")]
    public async Task An_order_is_live_only_when_consent_global_mode_opt_in_and_wallet_all_say_so(
        bool allowLive, ExecutionMode global, bool optedIn, bool wallet, ExecutionMode expected, string reason)
    {
        var mode = new InMemoryExecutionMode { Mode = global };
        var resolver = new ExecutionModeResolver(mode, new FixedOptIn(optedIn), new FixedWallets(wallet), new LiveConsent(allowLive));

        var effective = await resolver.ResolveAsync(Trader, default);

        effective.Mode.ShouldBe(expected);
        effective.Reason.ShouldContain(reason);
    }

    private static TradeAttempt Attempt(TradeAction action) => new(Trader, action, Eth, 1000m, false, "k");

    private PerpTradeService Service(InMemoryLedger ledger, TradeGates gates)
    {
        var feed = new SettablePriceFeed(_clock);
        feed.Set(Eth, 3_000m);
        var markets = new DefaultPerpMarkets();
        var options = Options.Create(new RiskOptions());
        return new PerpTradeService(
            ledger, new PortfolioValuation(ledger, feed), new PaperPerpVenue(markets, feed, _clock), markets, feed,
            new LeverageSafetyManager(LeverageSafetyManager.BuiltInRules(options), options), gates, options, _clock,
            new DayStartEquity(new InMemoryDailyStores(), _clock), NullLogger<PerpTradeService>.Instance);
    }

    private sealed class FixedResolver(EffectiveExecutionMode mode) : IExecutionModeResolver
    {
        public Task<EffectiveExecutionMode> ResolveAsync(UserId user, CancellationToken cancellationToken) => Task.FromResult(mode);
    }

    private sealed class AllLiveVenues : ILiveVenues
    {
        public bool CanExecute(TradeAction action) => true;
    }

    private sealed class FixedOptIn(bool optedIn) : ILiveOptInStore
    {
        public Task<bool> IsOptedInAsync(UserId user, CancellationToken cancellationToken) => Task.FromResult(optedIn);

        public Task SetAsync(UserId user, bool value, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class FixedWallets(bool has) : IUserWallets
    {
        public Task<bool> HasWalletAsync(UserId user, CancellationToken cancellationToken) => Task.FromResult(has);

        public Task<string?> MissingForLiveAsync(UserId user, CancellationToken cancellationToken) => Task.FromResult(has ? null : "a wallet");
    }
}
