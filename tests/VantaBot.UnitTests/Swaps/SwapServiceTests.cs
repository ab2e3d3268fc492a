using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Risk;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;
using VantaBot.UnitTests.Perps;

namespace VantaBot.UnitTests.Swaps;

public sealed class SwapServiceTests
{
    private const string Wallet = "0xabc0000000000000000000000000000000000001";
    private static readonly UserId Trader = new(7);
    private readonly ManualClock _clock = new();
    private readonly RateQuoter _quoter;
    private readonly SettableBalances _balances = new();
    private readonly InMemorySwapIntents _intents = new();
    private readonly SettablePriceFeed _prices;
    private readonly List<TradeAttempt> _committed = [];

    public SwapServiceTests()
    {
        _quoter = new RateQuoter(_clock);
        _prices = new SettablePriceFeed(_clock);
        _prices.Set(Pair.Usd("ETH"), 3000m);
        _balances.Set(TestTokens.Weth, 2m);
    }

    [Fact]
    public async Task Preview_quotes_and_checks_without_writing_anything()
    {
        var outcome = await Service().PreviewAsync(Order(1m), Wallet, default);

        var card = outcome.ShouldBeOfType<SwapOutcome.NeedsConfirmation>().Preview;
        card.Quote.ExpectedOut.ToDecimal().ShouldBe(3000m);
        card.MinimumOut.ToDecimal().ShouldBe(2985m); // 0.5 % below
        card.NotionalUsd.ShouldBe(3000m);
        card.IsLive.ShouldBeFalse();
        _intents.All.ShouldBeEmpty();
        _committed.ShouldBeEmpty();
    }

    [Fact]
    public async Task Confirmed_swap_fills_on_paper_at_the_quote_and_releases_its_hold()
    {
        var service = Service();
        var preview = await PreviewAsync(service, Order(1m));

        var outcome = await service.ExecuteAsync(preview, Wallet, default);

        var swapped = outcome.ShouldBeOfType<SwapOutcome.Swapped>();
        swapped.AmountOut.ToDecimal().ShouldBe(3000m);
        swapped.TransactionHash.ShouldBeNull();
        _intents.All.Single().State.ShouldBe(IntentState.Filled);
        (await _intents.GetHeldAsync("base", Wallet, TestTokens.Weth, default)).Raw.IsZero.ShouldBeTrue();
        _committed.Single().Action.ShouldBe(TradeAction.Swap);
        _committed.Single().NotionalUsd.ShouldBe(3000m);
    }

    [Fact]
    public async Task The_same_order_twice_swaps_once()
    {
        var service = Service();
        var preview = await PreviewAsync(service, Order(1m));
        await service.ExecuteAsync(preview, Wallet, default);

        var again = await service.ExecuteAsync(preview, Wallet, default);

        again.ShouldBeOfType<SwapOutcome.AlreadyHandled>();
        _intents.All.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_old_quote_is_requoted_and_a_price_below_the_card_minimum_is_refused()
    {
        var service = Service();
        var preview = await PreviewAsync(service, Order(1m));
        _clock.Advance(TimeSpan.FromSeconds(11));
        _quoter.Rate = 2900m; // more than the 0.5 % slippage worse

        var outcome = await service.ExecuteAsync(preview, Wallet, default);

        var rejected = outcome.ShouldBeOfType<SwapOutcome.Rejected>();
        rejected.Rule.ShouldBe(SwapRejectionCodes.PriceMoved);
        rejected.Reason.ShouldContain("2,900");
        rejected.Reason.ShouldContain("2,985");
        _quoter.Calls.ShouldBe(2);
        _intents.All.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_fresh_quote_is_not_requoted_and_a_better_requote_tightens_the_minimum()
    {
        var service = Service();
        var preview = await PreviewAsync(service, Order(1m));
        _clock.Advance(TimeSpan.FromSeconds(5));
        await service.ExecuteAsync(preview with { Order = preview.Order with { IdempotencyKey = "k1" } }, Wallet, default);
        _quoter.Calls.ShouldBe(1);

        _clock.Advance(TimeSpan.FromSeconds(30));
        _quoter.Rate = 3100m;
        await service.ExecuteAsync(preview with { Order = preview.Order with { IdempotencyKey = "k2" } }, Wallet, default);

        _quoter.Calls.ShouldBe(2);
        var second = _intents.All.Single(i => i.IdempotencyKey == "k2");
        second.MinimumOut.ToDecimal().ShouldBe(3084.5m);
        second.AmountOut!.Value.ToDecimal().ShouldBe(3100m);
    }

    [Fact]
    public async Task The_balance_is_rechecked_right_before_the_hold()
    {
        var service = Service();
        var preview = await PreviewAsync(service, Order(1.5m));
        _balances.Set(TestTokens.Weth, 1m); // spent elsewhere between the card and the tap

        var outcome = await service.ExecuteAsync(preview, Wallet, default);

        outcome.ShouldBeOfType<SwapOutcome.Rejected>().Rule.ShouldBe(SwapRejectionCodes.InsufficientFunds);
        _intents.All.ShouldBeEmpty();
    }

    [Fact]
    public async Task Unresolved_swaps_hold_their_input_so_two_cannot_spend_the_same_tokens()
    {
        var service = Service(venue: new FailingSwapVenue(ExecutionMode.Dry, throws: true));
        var first = await PreviewAsync(service, Order(1.5m, key: "a"));
        var second = await PreviewAsync(service, Order(1.5m, key: "b"));

        (await service.ExecuteAsync(first, Wallet, default)).ShouldBeOfType<SwapOutcome.Unknown>();
        var outcome = await service.ExecuteAsync(second, Wallet, default);

        outcome.ShouldBeOfType<SwapOutcome.Rejected>().Reason.ShouldContain("0.5 WETH available");
        _intents.All.Single().State.ShouldBe(IntentState.Submitted);
    }

    [Fact]
    public async Task A_venue_rejection_fails_the_intent_with_the_reason()
    {
        var service = Service(venue: new FailingSwapVenue(ExecutionMode.Dry, throws: false));
        var preview = await PreviewAsync(service, Order(1m));

        var outcome = await service.ExecuteAsync(preview, Wallet, default);

        outcome.ShouldBeOfType<SwapOutcome.Rejected>().Reason.ShouldContain("INSUFFICIENT_OUTPUT_AMOUNT");
        _intents.All.Single().State.ShouldBe(IntentState.Failed);
    }

    [Theory]
    [InlineData(0, "Slippage")]
    [InlineData(301, "Slippage")]
    public async Task Slippage_outside_the_bounds_is_refused(int basisPoints, string rule)
    {
        var outcome = await Service().PreviewAsync(Order(1m) with { SlippageBasisPoints = basisPoints }, Wallet, default);
        outcome.ShouldBeOfType<SwapOutcome.Rejected>().Rule.ShouldBe(rule);
    }

    [Fact]
    public async Task High_price_impact_too_large_a_swap_and_no_gas_are_refused_with_reasons()
    {
        _quoter.Impact = 0.08m;
        var impact = await Service().PreviewAsync(Order(1m), Wallet, default);
        impact.ShouldBeOfType<SwapOutcome.Rejected>().Reason.ShouldContain("8%");

        _quoter.Impact = 0.001m;
        _balances.Set(TestTokens.Weth, 100m);
        var size = await Service().PreviewAsync(Order(10m), Wallet, default);
        size.ShouldBeOfType<SwapOutcome.Rejected>().Rule.ShouldBe(SwapRejectionCodes.MaxSwapSize);

        _balances.Native = 0;
        var gas = await Service().PreviewAsync(Order(1m), Wallet, default);
        gas.ShouldBeOfType<SwapOutcome.Rejected>().Rule.ShouldBe(SwapRejectionCodes.InsufficientGas);
    }

    [Theory]
    [InlineData("polygon", "WETH", "USDC", "'polygon' is not a swap chain")]
    [InlineData("base", "DOGE", "USDC", "DOGE is not a token on base")]
    [InlineData("base", "WETH", "WETH", "for itself")]
    public async Task Unknown_chains_and_tokens_are_named(string chain, string from, string to, string expected)
    {
        var outcome = await Service().PreviewAsync(Order(1m) with { Chain = chain, FromSymbol = from, ToSymbol = to }, Wallet, default);
        outcome.ShouldBeOfType<SwapOutcome.Rejected>().Reason.ShouldContain(expected);
    }

    [Fact]
    public async Task Amounts_finer_than_the_token_are_refused()
    {
        var outcome = await Service().PreviewAsync(Order(0.0000001m) with { FromSymbol = "USDC", ToSymbol = "WETH" }, Wallet, default);
        outcome.ShouldBeOfType<SwapOutcome.Rejected>().Reason.ShouldContain("6 decimals");
    }

    [Fact]
    public async Task A_gate_refusal_at_the_tap_writes_nothing()
    {
        var stop = new ToggleGate(TradeGateStage.BeforeRisk);
        var service = Service(extraGate: stop);
        var preview = await PreviewAsync(service, Order(1m));
        stop.Refuse = true;

        var outcome = await service.ExecuteAsync(preview, Wallet, default);

        outcome.ShouldBeOfType<SwapOutcome.Rejected>().Rule.ShouldBe("Toggle");
        _intents.All.ShouldBeEmpty();
    }

    [Fact]
    public async Task Recovery_voids_pending_and_asks_the_venue_about_submitted_swaps()
    {
        var service = Service(venue: new FailingSwapVenue(ExecutionMode.Dry, throws: true));
        var preview = await PreviewAsync(service, Order(1m));
        await service.ExecuteAsync(preview, Wallet, default);
        var paper = new PaperSwapVenue();
        var recovery = new SwapRecovery(_intents, new SwapVenues([paper]), NullLogger<SwapRecovery>.Instance);

        var report = await recovery.RecoverAsync(DateTimeOffset.MaxValue, default);

        report.Voided.ShouldBe(1);
        _intents.All.Single().State.ShouldBe(IntentState.Failed);
        _intents.All.Single().FailureReason!.ShouldContain("restart");
    }

    private static SwapOrder Order(decimal amount, string key = "update:1") =>
        new(Trader, key, "base", "WETH", "USDC", amount, 50);

    private static async Task<SwapPreview> PreviewAsync(SwapService service, SwapOrder order) =>
        (await service.PreviewAsync(order, Wallet, default)).ShouldBeOfType<SwapOutcome.NeedsConfirmation>().Preview;

    private SwapService Service(ISwapVenue? venue = null, ITradeGate? extraGate = null)
    {
        var gates = new List<ITradeGate> { new RecordingGate(_committed) };
        if (extraGate is not null)
        {
            gates.Add(extraGate);
        }

        var options = Options.Create(new SwapOptions());
        return new SwapService(
            new FixedCatalog(TestTokens.Base), _quoter, _balances, _intents, new SwapVenues([venue ?? new PaperSwapVenue()]),
            new FixedMode(ExecutionMode.Dry), new TradeGates(gates), new SwapRiskCheck(options), new SwapValuation(_prices),
            options, _clock, NullLogger<SwapService>.Instance);
    }

    private sealed class RecordingGate(List<TradeAttempt> committed) : ITradeGate
    {
        public TradeGateStage Stage => TradeGateStage.BeforeCommit;

        public ValueTask<GateDecision> CheckAsync(TradeAttempt attempt, CancellationToken cancellationToken)
        {
            committed.Add(attempt);
            return ValueTask.FromResult(GateDecision.Allow);
        }
    }

    private sealed class ToggleGate(TradeGateStage stage) : ITradeGate
    {
        public bool Refuse { get; set; }

        public TradeGateStage Stage => stage;

        public ValueTask<GateDecision> CheckAsync(TradeAttempt attempt, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Refuse ? GateDecision.Refuse("Toggle", "stopped") : GateDecision.Allow);
    }
}
