using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Persistence;

/// <summary>Invariants of the ledger, holds and write-ahead intents on each database, under real concurrency.</summary>
public abstract class LedgerStoreTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly UserId Trader = new(1001);
    private readonly ManualClock _time = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_deposit_is_credited_once_per_key_and_the_balance_equals_the_entries()
    {
        (await UseAsync(s => s.DepositAsync(Trader, 250.5m, "deposit:1", default))).ShouldBeTrue();
        (await UseAsync(s => s.DepositAsync(Trader, 250.5m, "deposit:1", default))).ShouldBeFalse();
        (await UseAsync(s => s.DepositAsync(Trader, 49.5m, "deposit:2", default))).ShouldBeTrue();

        var account = await UseAsync(s => s.GetAsync(Trader, default));
        account.Balance.ShouldBe(300m);
        account.Available.ShouldBe(300m);
        (await UseAsync(s => s.VerifyAsync(default))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Two_hundred_concurrent_opens_against_funds_for_ten_hold_exactly_ten_and_never_overdraw()
    {
        await UseAsync(s => s.DepositAsync(Trader, 1_000m, "deposit:seed", default));

        var attempts = Enumerable.Range(0, 200).Select(i => Task.Run(() => UseAsync(s => s.PlaceOpenAsync(Intent($"update:{i}", 100m), default))));
        var results = await Task.WhenAll(attempts);

        results.Count(r => r.Outcome == PlaceIntentOutcome.Placed).ShouldBe(10);
        results.Count(r => r.Outcome == PlaceIntentOutcome.InsufficientFunds).ShouldBe(190);
        var account = await UseAsync(s => s.GetAsync(Trader, default));
        account.Held.ShouldBe(1_000m);
        account.Available.ShouldBe(0m);
        (await UseAsync(s => s.VerifyAsync(default))).ShouldBeEmpty();

        // Settle half as fills and half as failures: balance and holds still add up.
        var placed = results.Where(r => r.Outcome == PlaceIntentOutcome.Placed).Select(r => r.Intent).ToList();
        foreach (var intent in placed.Take(5))
        {
            await UseAsync(s => s.MarkSubmittedAsync(intent.Id, default));
            await UseAsync(s => s.CompleteOpenAsync(intent.Id, Fill(intent), 3_000m, stopLossSetByBot: true, default));
        }

        foreach (var intent in placed.Skip(5))
        {
            await UseAsync(s => s.FailAsync(intent.Id, IntentState.Failed, "venue rejected", default));
        }

        account = await UseAsync(s => s.GetAsync(Trader, default));
        account.Balance.ShouldBe(500m);
        account.Held.ShouldBe(0m);
        (await UseAsync(s => s.GetOpenPositionsAsync(Trader, default))).Count.ShouldBe(5);
        (await UseAsync(s => s.GetUnresolvedAsync(default))).ShouldBeEmpty();
        (await UseAsync(s => s.VerifyAsync(default))).ShouldBeEmpty();
    }

    [Fact]
    public async Task One_update_delivered_five_times_at_once_places_one_intent_and_one_hold()
    {
        await UseAsync(s => s.DepositAsync(Trader, 1_000m, "deposit:seed", default));
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            Task.Run(() => UseAsync(s => s.PlaceOpenAsync(Intent("update:77", 100m), default)))));

        results.Count(r => r.Outcome == PlaceIntentOutcome.Placed).ShouldBe(1);
        results.Count(r => r.Outcome == PlaceIntentOutcome.Duplicate).ShouldBe(4);
        results.Select(r => r.Intent.Id).Distinct().Count().ShouldBe(1);
        (await UseAsync(s => s.GetAsync(Trader, default))).Held.ShouldBe(100m);
        (await UseAsync(s => s.VerifyAsync(default))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Failing_voids_the_hold_once_and_a_resolved_intent_cannot_be_filled_afterwards()
    {
        await UseAsync(s => s.DepositAsync(Trader, 300m, "deposit:seed", default));
        var intent = (await UseAsync(s => s.PlaceOpenAsync(Intent("update:1", 120m), default))).Intent;

        await UseAsync(s => s.FailAsync(intent.Id, IntentState.Failed, "stale price", default));
        await UseAsync(s => s.FailAsync(intent.Id, IntentState.Failed, "again", default));

        var account = await UseAsync(s => s.GetAsync(Trader, default));
        account.Held.ShouldBe(0m);
        account.Balance.ShouldBe(300m);
        (await UseAsync(s => s.FindAsync(intent.Id, default)))!.FailureReason.ShouldBe("stale price");
        await Should.ThrowAsync<InvalidOperationException>(() => UseAsync(s => s.CompleteOpenAsync(intent.Id, Fill(intent), 3_000m, false, default)));
        (await UseAsync(s => s.VerifyAsync(default))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Completing_twice_creates_one_position_and_debits_once()
    {
        await UseAsync(s => s.DepositAsync(Trader, 300m, "deposit:seed", default));
        var intent = (await UseAsync(s => s.PlaceOpenAsync(Intent("update:1", 120m), default))).Intent;
        await UseAsync(s => s.MarkSubmittedAsync(intent.Id, default));

        var first = await UseAsync(s => s.CompleteOpenAsync(intent.Id, Fill(intent), 2_900m, false, default));
        var second = await UseAsync(s => s.CompleteOpenAsync(intent.Id, Fill(intent), 2_900m, false, default));

        second.Id.ShouldBe(first.Id);
        (await UseAsync(s => s.GetAsync(Trader, default))).Balance.ShouldBe(180m);
        var position = (await UseAsync(s => s.GetOpenPositionsAsync(Trader, default))).ShouldHaveSingleItem();
        position.Pair.ShouldBe(Pair.Usd("ETH"));
        position.Side.ShouldBe(Side.Long);
        position.Collateral.ShouldBe(119.28m);
        position.Leverage.ShouldBe(10m);
        position.EntryPrice.ShouldBe(3_000.9m);
        position.LiquidationPrice.ShouldBe(2_730.819m);
        position.StopLoss.ShouldBe(2_900m);
        position.OpenFee.ShouldBe(0.72m);
        (await UseAsync(s => s.VerifyAsync(default))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Holdings_are_the_account_and_only_its_open_positions_oldest_first()
    {
        var other = new UserId(2002);
        await UseAsync(s => s.DepositAsync(Trader, 500m, "deposit:seed", default));
        await UseAsync(s => s.DepositAsync(other, 500m, "deposit:seed", default));
        var first = await OpenAsync(Trader, "update:1", 100m);
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await OpenAsync(Trader, "update:2", 50m);
        var closed = await OpenAsync(Trader, "update:3", 20m);
        await OpenAsync(other, "update:4", 70m);
        var held = (await UseAsync(s => s.PlaceOpenAsync(Intent("update:5", 30m), default))).Intent;
        await using (var db = _database.CreateContext())
        {
            await db.Positions.Where(p => p.Id == closed.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PositionStatus.Closed));
        }

        var holdings = await UseAsync(s => s.ReadHoldingsAsync(Trader, default));

        holdings.Account.ShouldBe(await UseAsync(s => s.GetAsync(Trader, default)));
        holdings.Account.Balance.ShouldBe(330m);
        holdings.Account.Held.ShouldBe(30m);
        holdings.OpenPositions.Select(p => p.Id).ShouldBe([first.Id, second.Id]);
        holdings.OpenPositions.ShouldBe(await UseAsync(s => s.GetOpenPositionsAsync(Trader, default)));
        held.State.ShouldBe(IntentState.Pending);

        var stranger = await UseAsync(s => s.ReadHoldingsAsync(new UserId(3003), default));
        stranger.Account.ShouldBe(new AccountSnapshot(new UserId(3003), 0m, 0m));
        stranger.OpenPositions.ShouldBeEmpty();
    }

    [Fact]
    public async Task Intents_left_mid_way_by_a_crash_are_listed_for_recovery()
    {
        await UseAsync(s => s.DepositAsync(Trader, 500m, "deposit:seed", default));
        var pending = (await UseAsync(s => s.PlaceOpenAsync(Intent("update:1", 100m), default))).Intent;
        var submitted = (await UseAsync(s => s.PlaceOpenAsync(Intent("update:2", 100m), default))).Intent;
        await UseAsync(s => s.MarkSubmittedAsync(submitted.Id, default));

        var unresolved = await UseAsync(s => s.GetUnresolvedAsync(default));
        unresolved.Select(i => (i.Id, i.State)).ShouldBe([(pending.Id, IntentState.Pending), (submitted.Id, IntentState.Submitted)], ignoreOrder: true);
    }

    [Fact]
    public async Task The_database_refuses_an_overdraft_even_when_code_tries_one()
    {
        await UseAsync(s => s.DepositAsync(Trader, 50m, "deposit:seed", default));
        await using var db = _database.CreateContext();
        await Should.ThrowAsync<DbUpdateException>(async () =>
        {
            var account = await db.Accounts.SingleAsync();
            account.HeldMicros = 60_000_000;
            await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task An_open_takes_no_savepoints_even_on_a_pooled_context_reused_and_a_duplicate_key_still_rolls_its_hold_back()
    {
        // Savepoints cost two round trips per SaveChanges inside a transaction; the stores never continue a
        // transaction after a failed SaveChanges, so the context turns them off. The pool must keep that setting
        // across leases, and a failed insert must still undo the whole transaction (its hold) without one.
        var counter = new SavepointCounter();
        var builder = new DbContextOptionsBuilder<VantaBotDbContext>();
        PersistenceRegistration.Configure(builder, _database.Options);
        builder.AddInterceptors(counter);
        var pool = new PooledDbContextFactory<VantaBotDbContext>(builder.Options, poolSize: 1);

        async Task<T> LeaseAsync<T>(Func<LedgerStore, Task<T>> action)
        {
            await using var db = await pool.CreateDbContextAsync();
            return await action(new LedgerStore(db, _time));
        }

        await LeaseAsync(s => s.DepositAsync(Trader, 100m, "deposit:pool", default));
        var intent = Intent("update:pooled", 40m);
        (await LeaseAsync(s => s.PlaceOpenAsync(intent, default))).Outcome.ShouldBe(PlaceIntentOutcome.Placed);
        await LeaseAsync(async s => { await s.MarkSubmittedAsync(intent.Id, default); return true; });
        await LeaseAsync(s => s.CompleteOpenAsync(intent.Id, Fill(intent), 2_900m, false, default));

        // The same key under a new intent id: the hold succeeds, the insert violates the key, all of it rolls back.
        var again = await LeaseAsync(s => s.PlaceOpenAsync(Intent("update:pooled", 40m), default));
        again.Outcome.ShouldBe(PlaceIntentOutcome.Duplicate);
        again.Intent.Id.ShouldBe(intent.Id);

        counter.Savepoints.ShouldBe(0);
        counter.Commits.ShouldBeGreaterThanOrEqualTo(3);
        var account = await UseAsync(s => s.GetAsync(Trader, default));
        account.Held.ShouldBe(0m);
        account.Balance.ShouldBe(60m);
        (await UseAsync(s => s.VerifyAsync(default))).ShouldBeEmpty();
    }

    private async Task<Position> OpenAsync(UserId user, string key, decimal collateral)
    {
        var intent = (await UseAsync(s => s.PlaceOpenAsync(Intent(key, collateral) with { User = user }, default))).Intent;
        await UseAsync(s => s.MarkSubmittedAsync(intent.Id, default));
        return await UseAsync(s => s.CompleteOpenAsync(intent.Id, Fill(intent), 2_900m, false, default));
    }

    private OrderIntent Intent(string key, decimal collateral) => new(
        IntentId.New(), Trader, IntentKind.OpenPerp, IntentState.Pending, key, Pair.Usd("ETH"), Side.Long, collateral, 10m, null, null, null, 0m, null, _time.GetUtcNow());

    // 10x long ETH at mark 3000 with a 3 bps spread and a 6 bps fee on notional, taken from the posted collateral.
    private PerpOpenFill Fill(OrderIntent intent)
    {
        var fee = intent.Collateral * intent.Leverage * 0.0006m;
        return new PerpOpenFill(intent.Id, intent.Pair, intent.Side, 3_000m, 3_000.9m, intent.Collateral - fee, intent.Leverage, fee, 2_730.819m, _time.GetUtcNow());
    }

    private async Task<T> UseAsync<T>(Func<LedgerStore, Task<T>> action)
    {
        await using var db = _database.CreateContext();
        return await action(new LedgerStore(db, _time));
    }

    private async Task UseAsync(Func<LedgerStore, Task> action)
    {
        await using var db = _database.CreateContext();
        await action(new LedgerStore(db, _time));
    }
}

/// <summary>Counts the savepoints and commits EF asks the connection for.</summary>
internal sealed class SavepointCounter : DbTransactionInterceptor
{
    private int _savepoints;
    private int _commits;

    public int Savepoints => Volatile.Read(ref _savepoints);

    public int Commits => Volatile.Read(ref _commits);

    public override InterceptionResult CreatingSavepoint(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        Interlocked.Increment(ref _savepoints);
        return result;
    }

    public override ValueTask<InterceptionResult> CreatingSavepointAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _savepoints);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Interlocked.Increment(ref _commits);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);
        return Task.CompletedTask;
    }
}

public sealed class SqliteLedgerStoreTests() : LedgerStoreTests(DatabaseProvider.Sqlite);

public sealed class PostgresLedgerStoreTests() : LedgerStoreTests(DatabaseProvider.Postgres);
