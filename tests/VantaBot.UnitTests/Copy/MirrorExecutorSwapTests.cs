using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Risk;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Copy.Mirroring;
using VantaBot.Trading.DailyLoss;
using VantaBot.Trading.Execution;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;
using VantaBot.UnitTests.DailyLoss;
using VantaBot.UnitTests.Evm.Swaps;
using VantaBot.UnitTests.Ledger;
using VantaBot.UnitTests.Perps;
using VantaBot.UnitTests.Swaps;

namespace VantaBot.UnitTests.Copy;

/// <summary>
/// The swap path of a mirror: the real <see cref="SwapService"/> (preview, then execute without a card) over fakes of
/// our own ports, so the lead's end-to-end run on anvil only adds the chain.
/// </summary>
public sealed class MirrorExecutorSwapTests
{
    private const string Address = "0xabc0000000000000000000000000000000000099";
    private static readonly UserId Follower = new(42);
    private readonly ManualClock _clock = new();
    private readonly SettablePriceFeed _prices;
    private readonly SettableBalances _balances = new();
    private readonly InMemorySwapIntents _intents = new();
    private readonly RecordingMirrors _mirrors = new();
    private readonly List<TradeAttempt> _attempts = [];
    private GateDecision _refuseWith = GateDecision.Allow;

    public MirrorExecutorSwapTests()
    {
        _prices = new SettablePriceFeed(_clock);
        _prices.Set(Pair.Usd("ETH"), 3_000m);
        _balances.Set(TestTokens.Weth, 5m);
    }

    [Fact]
    public async Task A_leaders_swap_runs_as_the_followers_copy_order_from_their_wallet()
    {
        var mirror = Claimed(FollowSettings.Default with { Size = new CopySize(CopySizeKind.FixedUsd, 600m) });

        var resolution = await Executor(withWallet: true).ExecuteAsync(mirror, default);

        resolution.ShouldBe(new MirrorResolution.Done(null, null));
        var intent = _intents.All.ShouldHaveSingleItem();
        (intent.User, intent.IdempotencyKey, intent.State, intent.WalletAddress).ShouldBe((Follower, "copy:7", IntentState.Filled, Address));
        intent.AmountIn.ToDecimal().ShouldBe(0.2m);
        intent.TokenOut.ShouldBe(TestTokens.Usdc);
        _attempts.ShouldAllBe(a => a.IsCopy && a.IdempotencyKey == "copy:7");
        _mirrors.Resolved.ShouldBe([(mirror.Id, resolution)]);

        // Run again (a crash before the mirror was marked): the first order answers, nothing swaps twice.
        (await Executor(withWallet: true).ExecuteAsync(mirror, default)).ShouldBe(new MirrorResolution.Done(null, "already handled"));
        _intents.All.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_follower_without_a_wallet_is_told_to_create_one()
    {
        var resolution = await Executor(withWallet: false).ExecuteAsync(Claimed(FollowSettings.Default), default);

        var skipped = resolution.ShouldBeOfType<MirrorResolution.Skipped>();
        skipped.Reason.ShouldBe("no wallet: send /wallet");
        skipped.Notice.ShouldBe("⏭ Not copied: 0xabc0…0001 swap 1 WETH → USDC — no wallet: send /wallet");
        _intents.All.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_swap_the_wallet_cannot_pay_for_is_skipped_with_the_swaps_own_reason()
    {
        _balances.Set(TestTokens.Weth, 0.1m);

        var resolution = await Executor(withWallet: true).ExecuteAsync(Claimed(FollowSettings.Default), default);

        var skipped = resolution.ShouldBeOfType<MirrorResolution.Skipped>();
        skipped.Notice.ShouldNotBeNull().ShouldStartWith("⏭ Not copied: 0xabc0…0001 swap 1 WETH → USDC — ");
        skipped.Reason.ShouldContain("WETH");
        _intents.All.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_follower_who_unfollowed_after_the_trade_was_queued_gets_nothing_and_no_notice()
    {
        var resolution = await Executor(withWallet: true).ExecuteAsync(Claimed(null), default);

        resolution.ShouldBe(new MirrorResolution.Skipped("no longer following", null));
        _intents.All.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unreachable_rate_limiter_gives_the_mirror_back_for_a_retry_instead_of_dropping_it()
    {
        _refuseWith = GateDecision.Refuse(MirrorExecutor.UnavailableGate, "the rate limiter cannot be reached");

        var retry = await Should.ThrowAsync<TransientMirrorException>(() => Executor(withWallet: true).ExecuteAsync(Claimed(FollowSettings.Default), default));

        retry.Message.ShouldBe("the rate limiter cannot be reached");
        _mirrors.Resolved.ShouldBeEmpty("nothing is recorded, so the mirror stays Pending for the next claim");
        _intents.All.ShouldBeEmpty();
    }

    private static ClaimedMirror Claimed(FollowSettings? settings) => new(
        11, 7, Follower,
        new LeaderTrade.Swap("evm:base:0x1", LeaderRef.Evm("0xabc0000000000000000000000000000000000001"), DateTimeOffset.UnixEpoch, "base", "WETH", "USDC", 1m, 3_000m, "0x1", 1),
        settings, 1);

    private MirrorExecutor Executor(bool withWallet)
    {
        var swapOptions = Options.Create(new SwapOptions());
        var gates = new TradeGates([new RecordingGate(_attempts, () => _refuseWith)]);
        var swaps = new SwapService(
            new FixedCatalog(TestTokens.Base), new RateQuoter(_clock), _balances, _intents, new SwapVenues([new PaperSwapVenue()]),
            new FixedMode(ExecutionMode.Dry), gates, new SwapRiskCheck(swapOptions), new SwapValuation(_prices), swapOptions, _clock, NullLogger<SwapService>.Instance);

        // The perps services are built as the host builds them; the swap path never calls them.
        var ledger = new InMemoryLedger();
        var risk = Options.Create(new RiskOptions());
        var markets = new DefaultPerpMarkets();
        var venue = new PaperPerpVenue(markets, _prices, _clock);
        var positions = new UnexpectedPositionStore();
        var perps = new PerpTradeService(
            ledger, new PortfolioValuation(ledger, _prices), venue, markets, _prices, new LeverageSafetyManager(LeverageSafetyManager.BuiltInRules(risk), risk),
            gates, risk, _clock, new DayStartEquity(new InMemoryDailyStores(), _clock), NullLogger<PerpTradeService>.Instance);
        var closes = new PerpCloseService(ledger, positions, venue, gates, _clock, NullLogger<PerpCloseService>.Instance);
        IWalletDirectory wallets = withWallet
            ? new OneWalletDirectory(new Wallet(new WalletId(Guid.NewGuid()), Follower, ChainFamily.Evm, Address, DateTimeOffset.UnixEpoch))
            : new NoWallets();
        return new MirrorExecutor(
            _mirrors, perps, closes, swaps, ledger, positions, wallets, new FixedCatalog(TestTokens.Base), new SwapValuation(_prices), swapOptions,
            NullLogger<MirrorExecutor>.Instance);
    }

    private sealed class RecordingGate(List<TradeAttempt> attempts, Func<GateDecision> decision) : ITradeGate
    {
        public TradeGateStage Stage => TradeGateStage.BeforeCommit;

        public ValueTask<GateDecision> CheckAsync(TradeAttempt attempt, CancellationToken cancellationToken)
        {
            attempts.Add(attempt);
            return ValueTask.FromResult(decision());
        }
    }

    private sealed class NoWallets : IWalletDirectory
    {
        public Task<Wallet?> FindAsync(UserId user, string chainFamily, CancellationToken cancellationToken) => Task.FromResult<Wallet?>(null);

        public Task<Wallet> GetOrCreateAsync(UserId user, string chainFamily, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A mirror never creates a wallet.");
    }

    private sealed class RecordingMirrors : IMirrorStore
    {
        public List<(long Id, MirrorResolution Resolution)> Resolved { get; } = [];

        public Task<int> FanOutAsync(int maxTrades, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ClaimedMirror>> ClaimDueAsync(int max, TimeSpan lease, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> ResolveAsync(ClaimedMirror mirror, MirrorResolution resolution, CancellationToken cancellationToken)
        {
            var first = Resolved.All(r => r.Id != mirror.Id);
            if (first)
            {
                Resolved.Add((mirror.Id, resolution));
            }

            return Task.FromResult(first);
        }

        public Task ReleaseAsync(long mirrorId, TimeSpan retryIn, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
