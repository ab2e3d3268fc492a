using Microsoft.Extensions.Logging.Abstractions;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Persistence;

/// <summary>A crash between intent and fill, simulated on a real database; recovery then settles or voids.</summary>
public abstract class RecoveryTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly UserId Trader = new(2002);
    private readonly ManualClock _time = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
        await using var db = _database.CreateContext();
        await new LedgerStore(db, _time).DepositAsync(Trader, 1_000m, "seed", default);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task An_intent_filled_at_the_venue_but_not_settled_is_settled_by_recovery()
    {
        var venue = Venue();
        var intent = await PlaceSubmittedAsync("update:1");
        var fill = await venue.OpenAsync(new PerpOpenRequest(intent.Id, intent.Pair, intent.Side, intent.Collateral, intent.Leverage, null, intent.StopLoss, ExpectedEntryPrice: 3_000m, MaxSlippageFraction: 0.005m), default);
        fill.IsSuccess.ShouldBeTrue();

        // "Crash" here: the process died before CompleteOpenAsync. The restarted process runs recovery.
        var report = await RecoverAsync(venue);

        report.ShouldBe(new RecoveryReport(1, 0));
        await using var db = _database.CreateContext();
        var store = new LedgerStore(db, _time);
        (await store.GetOpenPositionsAsync(Trader, default)).ShouldHaveSingleItem().StopLoss.ShouldBe(intent.StopLoss!.Value);
        (await store.GetAsync(Trader, default)).ShouldBe(new AccountSnapshot(Trader, 900m, 0m));
        (await store.VerifyAsync(default)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Intents_the_venue_never_saw_are_voided_and_their_holds_released()
    {
        var pending = await PlaceAsync("update:1");
        var submitted = await PlaceSubmittedAsync("update:2");

        // A fresh venue: the restarted process's paper venue remembers nothing.
        var report = await RecoverAsync(Venue());

        report.ShouldBe(new RecoveryReport(0, 2));
        await using var db = _database.CreateContext();
        var store = new LedgerStore(db, _time);
        (await store.GetAsync(Trader, default)).ShouldBe(new AccountSnapshot(Trader, 1_000m, 0m));
        (await store.FindAsync(pending.Id, default))!.State.ShouldBe(IntentState.Cancelled);
        (await store.FindAsync(submitted.Id, default))!.State.ShouldBe(IntentState.Failed);
        (await store.GetUnresolvedAsync(default)).ShouldBeEmpty();
        (await store.VerifyAsync(default)).ShouldBeEmpty();

        // Running recovery again changes nothing.
        (await RecoverAsync(Venue())).ShouldBe(new RecoveryReport(0, 0));
    }

    private PaperPerpVenue Venue()
    {
        var feed = new TestPriceFeed(_time);
        feed.Set(Pair.Usd("ETH"), 3_000m);
        return new(new DefaultPerpMarkets(), feed, _time);
    }

    private async Task<RecoveryReport> RecoverAsync(IPerpVenue venue)
    {
        await using var db = _database.CreateContext();
        return await new IntentRecovery(new LedgerStore(db, _time), new PositionStore(db), venue, NullLogger<IntentRecovery>.Instance).RecoverAsync(default);
    }

    private async Task<OrderIntent> PlaceAsync(string key)
    {
        await using var db = _database.CreateContext();
        var intent = new OrderIntent(
            IntentId.New(), Trader, IntentKind.OpenPerp, IntentState.Pending, key, Pair.Usd("ETH"), Side.Long, 100m, 10m, null, 2_800m, null, 0m, null, _time.GetUtcNow());
        var result = await new LedgerStore(db, _time).PlaceOpenAsync(intent, default);
        result.Outcome.ShouldBe(PlaceIntentOutcome.Placed);
        return result.Intent;
    }

    private async Task<OrderIntent> PlaceSubmittedAsync(string key)
    {
        var intent = await PlaceAsync(key);
        await using var db = _database.CreateContext();
        await new LedgerStore(db, _time).MarkSubmittedAsync(intent.Id, default);
        return intent;
    }
}

public sealed class SqliteRecoveryTests() : RecoveryTests(DatabaseProvider.Sqlite);

public sealed class PostgresRecoveryTests() : RecoveryTests(DatabaseProvider.Postgres);
