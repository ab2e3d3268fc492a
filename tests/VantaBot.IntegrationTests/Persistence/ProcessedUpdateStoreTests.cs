using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Persistence;

/// <summary>
/// Claim, complete and release of update ids on each provider: a completed update is never handled again, an
/// unfinished claim is handed over once abandoned (to exactly one claimant) or released at a poller's start.
/// </summary>
public abstract class ProcessedUpdateStoreTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromMinutes(2);
    private readonly ManualClock _time = new(new DateTimeOffset(2026, 11, 22, 10, 30, 15, TimeSpan.Zero));
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_completed_update_is_never_claimed_again_however_old()
    {
        (await ClaimAsync(2001)).ShouldBeTrue();
        await WithStoreAsync(store => store.CompleteAsync(2001, default));

        _time.Advance(TimeSpan.FromDays(1));
        (await ClaimAsync(2001)).ShouldBeFalse();
        (await WithStoreAsync(store => store.ReleaseUnfinishedAsync(default))).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unfinished_claim_is_a_duplicate_while_young_and_taken_over_once_abandoned()
    {
        (await ClaimAsync(2002)).ShouldBeTrue();
        _time.Advance(AbandonAfter - TimeSpan.FromSeconds(1));
        (await ClaimAsync(2002)).ShouldBeFalse("another handler may still be working on it");

        _time.Advance(TimeSpan.FromSeconds(2));
        (await ClaimAsync(2002)).ShouldBeTrue("its handler died before completing it");
        (await ClaimAsync(2002)).ShouldBeFalse("the take-over is a fresh claim");

        await WithStoreAsync(store => store.CompleteAsync(2002, default));
        _time.Advance(AbandonAfter * 3);
        (await ClaimAsync(2002)).ShouldBeFalse();
    }

    [Fact]
    public async Task An_abandoned_claim_is_taken_over_by_exactly_one_of_many_concurrent_claimants()
    {
        (await ClaimAsync(2003)).ShouldBeTrue();
        _time.Advance(AbandonAfter * 2);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => ClaimAsync(2003))));

        results.Count(claimed => claimed).ShouldBe(1);
    }

    [Fact]
    public async Task A_batch_claim_takes_new_and_abandoned_updates_and_leaves_out_completed_and_live_ones()
    {
        (await ClaimAsync(3001)).ShouldBeTrue();
        await WithStoreAsync(store => store.CompleteAsync(3001, default));
        (await ClaimAsync(3002)).ShouldBeTrue();
        _time.Advance(AbandonAfter * 2);
        (await ClaimAsync(3003)).ShouldBeTrue();

        var claimed = await WithStoreAsync(store => store.TryClaimManyAsync(
            [(3001, "message"), (3002, "message"), (3003, "message"), (3004, "callback_query"), (3005, "message"), (3004, "callback_query")],
            _time.GetUtcNow() - AbandonAfter,
            default));

        // 3001 completed, 3003 claimed a moment ago by a live handler: duplicates. 3002 abandoned: taken over.
        claimed.OrderBy(id => id).ShouldBe([3002L, 3004L, 3005L]);
        (await ClaimAsync(3004)).ShouldBeFalse("a batch claim is a claim like any other");
        (await WithStoreAsync(store => store.TryClaimManyAsync([(3004, "message"), (3005, "message")], _time.GetUtcNow() - AbandonAfter, default))).ShouldBeEmpty();
        (await WithStoreAsync(store => store.TryClaimManyAsync([], _time.GetUtcNow() - AbandonAfter, default))).ShouldBeEmpty();
        await using var db = _database.CreateContext();
        (await db.ProcessedUpdates.AsNoTracking().SingleAsync(u => u.UpdateId == 3004)).Kind.ShouldBe("callback_query");
    }

    [Fact]
    public async Task Concurrent_batch_claims_of_overlapping_batches_hand_each_update_to_exactly_one()
    {
        // Every other batch in descending order: the store must lock keys in one order whatever the caller's.
        var batches = Enumerable.Range(0, 6)
            .Select(b =>
            {
                var ids = Enumerable.Range(4000 + (b * 5), 20).Select(id => ((long)id, "message"));
                return (IReadOnlyList<(long, string)>)(b % 2 == 0 ? ids : ids.Reverse()).ToList();
            })
            .ToList();

        var results = await Task.WhenAll(batches.Select(batch => Task.Run(() =>
            WithStoreAsync(store => store.TryClaimManyAsync(batch, _time.GetUtcNow() - AbandonAfter, default)))));

        var all = results.SelectMany(r => r).ToList();
        all.Count.ShouldBe(all.Distinct().Count(), "no update claimed twice");
        all.Distinct().Count().ShouldBe(batches.SelectMany(b => b).Select(u => u.Item1).Distinct().Count(), "every update claimed once");
    }

    [Fact]
    public async Task Releasing_forgets_the_unfinished_claims_only_and_returns_them_in_order()
    {
        (await ClaimAsync(3001)).ShouldBeTrue();
        await WithStoreAsync(store => store.CompleteAsync(3001, default));
        (await ClaimAsync(3003)).ShouldBeTrue();
        (await ClaimAsync(3002)).ShouldBeTrue();

        (await WithStoreAsync(store => store.ReleaseUnfinishedAsync(default))).ShouldBe([3002L, 3003L]);

        // Released: the re-delivery is claimed at once, without waiting for the abandonment age.
        (await ClaimAsync(3002)).ShouldBeTrue();
        (await ClaimAsync(3001)).ShouldBeFalse();
        (await WithStoreAsync(store => store.GetHighestAsync(default))).ShouldBe(3002);
        (await WithStoreAsync(store => store.ReleaseUnfinishedAsync(default))).ShouldBe([3002L]);
    }

    [Fact]
    public async Task Completing_twice_or_an_unknown_update_is_harmless()
    {
        (await ClaimAsync(4001)).ShouldBeTrue();
        await WithStoreAsync(store => store.CompleteAsync(4001, default));
        _time.Advance(TimeSpan.FromSeconds(5));
        await WithStoreAsync(store => store.CompleteAsync(4001, default));
        await WithStoreAsync(store => store.CompleteAsync(4999, default));

        await using var db = _database.CreateContext();
        var row = await db.ProcessedUpdates.AsNoTracking().SingleAsync();
        row.UpdateId.ShouldBe(4001);
        row.CompletedAt.ShouldNotBeNull();
        row.CompletedAt.Value.ShouldBeLessThan(_time.GetUtcNow(), "the first completion time is kept");
    }

    [Fact]
    public async Task Updates_handled_before_the_completion_migration_count_as_completed()
    {
        await using var fresh = TestDatabase.Create(provider);
        await using (var db = fresh.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261122070000_Swaps");
            var received = _time.GetUtcNow().UtcDateTime;
            await db.Database.ExecuteSqlAsync($"INSERT INTO processed_updates (update_id, kind, received_at) VALUES ({5001L}, {"message"}, {received})");
        }

        await fresh.MigrateAsync();

        await using var check = fresh.CreateContext();
        var store = new ProcessedUpdateStore(check, _time);
        (await store.ReleaseUnfinishedAsync(default)).ShouldBeEmpty();
        _time.Advance(AbandonAfter * 2);
        (await store.TryClaimAsync(5001, "message", _time.GetUtcNow() - AbandonAfter, default)).ShouldBeFalse();
    }

    private Task<bool> ClaimAsync(long updateId) =>
        WithStoreAsync(store => store.TryClaimAsync(updateId, "message", _time.GetUtcNow() - AbandonAfter, default));

    private async Task<T> WithStoreAsync<T>(Func<ProcessedUpdateStore, Task<T>> action)
    {
        await using var db = _database.CreateContext();
        return await action(new ProcessedUpdateStore(db, _time));
    }

    private async Task WithStoreAsync(Func<ProcessedUpdateStore, Task> action)
    {
        await using var db = _database.CreateContext();
        await action(new ProcessedUpdateStore(db, _time));
    }
}

public sealed class SqliteProcessedUpdateStoreTests() : ProcessedUpdateStoreTests(DatabaseProvider.Sqlite);

public sealed class PostgresProcessedUpdateStoreTests() : ProcessedUpdateStoreTests(DatabaseProvider.Postgres);
