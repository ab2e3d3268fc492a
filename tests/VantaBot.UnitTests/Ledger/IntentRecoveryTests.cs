using Microsoft.Extensions.Logging.Abstractions;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Ledger;

public sealed class IntentRecoveryTests
{
    private static readonly UserId Trader = new(7);
    private static readonly Pair Eth = Pair.Usd("ETH");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryLedger _ledger = new();
    private readonly ScriptedVenue _venue = new();
    private readonly IntentRecovery _recovery;

    public IntentRecoveryTests()
    {
        _recovery = new IntentRecovery(_ledger, new UnexpectedPositionStore(), _venue, NullLogger<IntentRecovery>.Instance);
        _ledger.DepositAsync(Trader, 10_000m, "seed", default).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task A_pending_intent_is_cancelled_and_its_hold_voided_without_asking_the_venue()
    {
        var intent = Seed(IntentState.Pending, collateral: 1000m);

        var report = await _recovery.RecoverAsync(default);

        report.ShouldBe(new RecoveryReport(Settled: 0, Voided: 1));
        var after = (await _ledger.FindAsync(intent.Id, default))!;
        after.State.ShouldBe(IntentState.Cancelled);
        after.FailureReason!.ShouldContain("not submitted");
        _ledger.HoldOf(intent.Id).ShouldBe(0m);
        (await _ledger.GetAsync(Trader, default)).Available.ShouldBe(10_000m);
        _venue.Lookups.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_submitted_intent_the_venue_filled_is_completed_with_the_intents_stop_loss()
    {
        var intent = Seed(IntentState.Submitted, collateral: 1000m, stopLoss: 2760.828m);
        var fill = Fill(intent);
        _venue.Orders[intent.Id] = new VenueOrderStatus(intent.Id, VenueOrderState.Filled, fill, null, null);

        var report = await _recovery.RecoverAsync(default);

        report.ShouldBe(new RecoveryReport(Settled: 1, Voided: 0));
        var completion = _ledger.Completions.ShouldHaveSingleItem();
        completion.Intent.ShouldBe(intent.Id);
        completion.Fill.ShouldBe(fill);
        completion.StopLoss.ShouldBe(2760.828m);

        var position = _ledger.Positions.ShouldHaveSingleItem();
        position.StopLoss.ShouldBe(2760.828m);
        position.EntryPrice.ShouldBe(3000.9m);
        (await _ledger.FindAsync(intent.Id, default))!.State.ShouldBe(IntentState.Filled);
        var account = await _ledger.GetAsync(Trader, default);
        account.Balance.ShouldBe(9_000m);
        account.Held.ShouldBe(0m);
        _venue.Lookups.ShouldBe([intent.Id]);
    }

    [Fact]
    public async Task A_submitted_intent_the_venue_rejected_is_failed_with_the_venues_reason()
    {
        var intent = Seed(IntentState.Submitted, collateral: 1000m);
        _venue.Orders[intent.Id] = new VenueOrderStatus(intent.Id, VenueOrderState.Rejected, null, null, "take_profit: beyond the cap");

        var report = await _recovery.RecoverAsync(default);

        report.ShouldBe(new RecoveryReport(Settled: 0, Voided: 1));
        var after = (await _ledger.FindAsync(intent.Id, default))!;
        after.State.ShouldBe(IntentState.Failed);
        after.FailureReason.ShouldBe("take_profit: beyond the cap");
        _ledger.HoldOf(intent.Id).ShouldBe(0m);
        (await _ledger.GetAsync(Trader, default)).Available.ShouldBe(10_000m);
        _ledger.Positions.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_submitted_intent_the_venue_never_saw_is_failed_as_having_no_record()
    {
        var intent = Seed(IntentState.Submitted, collateral: 1000m);

        var report = await _recovery.RecoverAsync(default);

        report.ShouldBe(new RecoveryReport(Settled: 0, Voided: 1));
        var after = (await _ledger.FindAsync(intent.Id, default))!;
        after.State.ShouldBe(IntentState.Failed);
        after.FailureReason!.ShouldContain("has no record");
        after.FailureReason!.ShouldContain(ScriptedVenue.VenueName);
        (await _ledger.GetAsync(Trader, default)).Available.ShouldBe(10_000m);
    }

    [Fact]
    public async Task The_report_counts_every_outcome_and_leaves_resolved_intents_alone()
    {
        Seed(IntentState.Pending, collateral: 100m);
        Seed(IntentState.Pending, collateral: 100m);
        var filled = Seed(IntentState.Submitted, collateral: 1000m);
        _venue.Orders[filled.Id] = new VenueOrderStatus(filled.Id, VenueOrderState.Filled, Fill(filled), null, null);
        var rejected = Seed(IntentState.Submitted, collateral: 200m);
        _venue.Orders[rejected.Id] = new VenueOrderStatus(rejected.Id, VenueOrderState.Rejected, null, null, "stale_price: no price");
        Seed(IntentState.Submitted, collateral: 300m);
        var done = Seed(IntentState.Filled, collateral: 50m);

        var report = await _recovery.RecoverAsync(default);

        report.ShouldBe(new RecoveryReport(Settled: 1, Voided: 4));
        (await _ledger.GetUnresolvedAsync(default)).ShouldBeEmpty();
        _venue.Lookups.Count.ShouldBe(3);
        (await _ledger.FindAsync(done.Id, default))!.State.ShouldBe(IntentState.Filled);

        // Only the filled open's 1,000 left the balance; every other hold was released (the resolved one keeps its 50).
        var account = await _ledger.GetAsync(Trader, default);
        account.Balance.ShouldBe(9_000m);
        account.Held.ShouldBe(50m);

        // A second run finds nothing to do.
        (await _recovery.RecoverAsync(default)).ShouldBe(new RecoveryReport(0, 0));
    }

    [Fact]
    public async Task Nothing_unresolved_reports_zero()
    {
        (await _recovery.RecoverAsync(default)).ShouldBe(new RecoveryReport(0, 0));
    }

    private OrderIntent Seed(IntentState state, decimal collateral, decimal? stopLoss = 2760.828m)
    {
        var intent = new OrderIntent(
            IntentId.New(), Trader, IntentKind.OpenPerp, state, $"update:{Guid.NewGuid():N}", Eth, Side.Long, collateral, 10m, null, stopLoss, null, 0m, null, T0);
        _ledger.Seed(intent, hold: collateral);
        return intent;
    }

    private static PerpOpenFill Fill(OrderIntent intent)
    {
        var fee = intent.Collateral * intent.Leverage * 0.0006m;
        return new PerpOpenFill(intent.Id, intent.Pair, intent.Side, 3000m, 3000.9m, intent.Collateral - fee, intent.Leverage, fee, 2730.819m, T0);
    }

    /// <summary>A venue that only answers lookups, from a table the test fills; unknown ids are null.</summary>
    private sealed class ScriptedVenue : IPerpVenue
    {
        public const string VenueName = "scripted";

        public Dictionary<IntentId, VenueOrderStatus> Orders { get; } = [];

        public List<IntentId> Lookups { get; } = [];

        public string Name => VenueName;

        public Task<VenueResult<PerpOpenFill>> OpenAsync(PerpOpenRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Recovery must not open orders.");

        public Task<VenueResult<PerpCloseFill>> CloseAsync(PerpCloseRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Recovery must not close orders.");

        public Task<VenueOrderStatus?> FindOrderAsync(IntentId clientOrderId, CancellationToken cancellationToken)
        {
            Lookups.Add(clientOrderId);
            return Task.FromResult(Orders.GetValueOrDefault(clientOrderId));
        }
    }
}
