using Microsoft.EntityFrameworkCore;

using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.IntegrationTests.Support;
using VantaBot.Risk;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Persistence;

/// <summary>The same repository contract on every provider: the migrated schema round-trips every entity.</summary>
public abstract class RepositoryTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly ManualClock _time = new(new DateTimeOffset(2026, 11, 22, 10, 30, 15, 123, TimeSpan.Zero).AddTicks(4560));
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Migrations_are_all_applied_and_reapplying_is_a_no_op()
    {
        await using var db = _database.CreateContext();
        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        (await db.Database.GetAppliedMigrationsAsync()).ShouldContain("20261122000000_Initial");
        await db.Database.MigrateAsync();
    }

    [Fact]
    public async Task Concurrent_migrations_of_a_fresh_database_apply_once()
    {
        await using var fresh = TestDatabase.Create(provider);
        var runs = Enumerable.Range(0, 4).Select(i => Task.Run(() => fresh.MigrateAsInstanceAsync(i)));
        await Task.WhenAll(runs);
        await using var db = fresh.CreateContext();
        (await db.Database.GetAppliedMigrationsAsync()).ShouldBe(db.Database.GetMigrations());
        (await db.Users.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_user_round_trips_with_typed_id_role_and_time()
    {
        await using (var db = _database.CreateContext())
        {
            var created = await new UserDirectory(db, TestCaches.Uncached(), _time).RegisterOrGetAsync(new UserId(987654321012), "  Ada Lovelace ", Role.Operator, default);
            created.DisplayName.ShouldBe("Ada Lovelace");
        }

        await using (var db = _database.CreateContext())
        {
            var user = await new UserDirectory(db, TestCaches.Uncached(), _time).FindAsync(new UserId(987654321012), default);
            user.ShouldNotBeNull();
            user.Role.ShouldBe(Role.Operator);
            user.CreatedAt.ShouldBe(TruncateToMicroseconds(_time.GetUtcNow()));
            user.CreatedAt.Offset.ShouldBe(TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task A_display_name_with_nul_and_a_lone_surrogate_registers_on_both_databases()
    {
        await using var db = _database.CreateContext();
        var directory = new UserDirectory(db, TestCaches.Uncached(), _time);

        var user = await directory.RegisterOrGetAsync(new UserId(55501), "Eve\0\uD800 " + new string('x', 200), Role.Trader, default);

        user.DisplayName.ShouldStartWith("Eve\uFFFD\uFFFD x");
        user.DisplayName.Length.ShouldBe(128);
        (await directory.FindAsync(new UserId(55501), default))!.DisplayName.ShouldBe(user.DisplayName);
    }

    [Fact]
    public async Task Registering_again_keeps_the_first_row()
    {
        await using var db = _database.CreateContext();
        var users = new UserDirectory(db, TestCaches.Uncached(), _time);
        await users.RegisterOrGetAsync(new UserId(5), "First", Role.Trader, default);
        var again = await users.RegisterOrGetAsync(new UserId(5), "Renamed", Role.Viewer, default);
        again.DisplayName.ShouldBe("First");
        again.Role.ShouldBe(Role.Trader);
        (await users.CountAsync(default)).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_first_contacts_create_one_user()
    {
        var attempts = Enumerable.Range(0, 16).Select(async i =>
        {
            await using var db = _database.CreateContext();
            return await new UserDirectory(db, TestCaches.Uncached(), _time).RegisterOrGetAsync(new UserId(42), $"name {i}", Role.Trader, default);
        });
        var results = await Task.WhenAll(attempts);
        results.Select(r => r.DisplayName).Distinct().Count().ShouldBe(1);
        await using var check = _database.CreateContext();
        (await check.Users.CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task An_update_id_is_claimed_once_even_under_concurrency()
    {
        var claims = Enumerable.Range(0, 12).Select(async _ =>
        {
            await using var db = _database.CreateContext();
            return await new ProcessedUpdateStore(db, _time).TryClaimAsync(1001, "message", _time.GetUtcNow().AddMinutes(-2), default);
        });
        var results = await Task.WhenAll(claims);
        results.Count(claimed => claimed).ShouldBe(1);

        await using var check = _database.CreateContext();
        var store = new ProcessedUpdateStore(check, _time);
        (await store.TryClaimAsync(1002, "callback_query", _time.GetUtcNow().AddMinutes(-2), default)).ShouldBeTrue();
        (await store.GetHighestAsync(default)).ShouldBe(1002);
    }

    [Fact]
    public async Task Highest_update_id_is_null_on_an_empty_database()
    {
        await using var db = _database.CreateContext();
        (await new ProcessedUpdateStore(db, _time).GetHighestAsync(default)).ShouldBeNull();
    }

    [Fact]
    public async Task Audit_rows_chain_by_hash_and_round_trip()
    {
        await using (var db = _database.CreateContext())
        {
            var audit = new AuditLog(db, _time);
            await audit.AppendAsync(new AuditRecord(new UserId(7), Role.Trader, "emergency_stop", "now", "denied: needs Admin", "trace-1"), default);
            _time.Advance(TimeSpan.FromSeconds(1));
            await audit.AppendAsync(new AuditRecord(null, null, "system", "", "started", "trace-2"), default);
        }

        await using var check = _database.CreateContext();
        var rows = await check.AuditLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        rows.Count.ShouldBe(2);
        rows[0].PreviousHash.ShouldBe("");
        rows[1].PreviousHash.ShouldBe(rows[0].Hash);
        rows[0].ActorId.ShouldBe(7);
        rows[0].ActorRole.ShouldBe("Trader");
        rows[1].ActorId.ShouldBeNull();

        // The stored row reproduces its own hash: nothing was lost or rounded differently in the round trip.
        rows.ShouldAllBe(row => AuditLog.ComputeHash(row) == row.Hash);
    }

    [Fact]
    public async Task Execution_mode_defaults_to_dry_and_reads_a_stored_live()
    {
        await using var db = _database.CreateContext();
        var store = new ExecutionModeStore(db);
        (await store.GetAsync(default)).ShouldBe(ExecutionMode.Dry);

        db.SystemSettings.Add(new SystemSettingEntity { Key = ExecutionModeStore.Key, Value = "Live", UpdatedAt = _time.GetUtcNow() });
        await db.SaveChangesAsync();
        (await store.GetAsync(default)).ShouldBe(ExecutionMode.Live);

        var row = await db.SystemSettings.SingleAsync();
        row.Value = "garbage";
        await db.SaveChangesAsync();
        (await store.GetAsync(default)).ShouldBe(ExecutionMode.Dry);
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}

public sealed class SqliteRepositoryTests() : RepositoryTests(DatabaseProvider.Sqlite);

public sealed class PostgresRepositoryTests() : RepositoryTests(DatabaseProvider.Postgres);
