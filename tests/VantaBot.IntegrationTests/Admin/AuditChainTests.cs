using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Admin;

/// <summary>The verification catches an edited row, a deleted row in the middle and rows deleted from the end, on both databases.</summary>
public abstract class AuditChainTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
        await using var db = _database.CreateContext();
        var log = new AuditLog(db, _clock);
        for (var i = 1; i <= 5; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await log.AppendAsync(new AuditRecord(new UserId(i), Role.Admin, "emergency_stop", $"reason {i}", "ok: stopped", $"trace-{i}"), default);
        }
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task An_untouched_log_verifies_and_its_head_names_the_last_row()
    {
        var result = await VerifyAsync();
        result.IsIntact.ShouldBeTrue(string.Join("; ", result.Problems.Select(p => p.Description)));
        result.RowsChecked.ShouldBe(5);
        result.Head.ShouldNotBeNull().Id.ShouldBe(await LastIdAsync());
    }

    [Fact]
    public async Task Arguments_with_lone_surrogates_and_nul_are_stored_as_hashed_and_the_log_still_verifies()
    {
        // Found by the hostile-input fuzzer: SQLite stored a lone surrogate differently from how it was hashed.
        await using (var db = _database.CreateContext())
        {
            var log = new AuditLog(db, _clock);
            _clock.Advance(TimeSpan.FromSeconds(1));
            await log.AppendAsync(new AuditRecord(new UserId(9), Role.Viewer, "sl", "a\uD800b \uDC00 \0 x\uD83D", "denied: needs Trader", "trace-9"), default);
            _clock.Advance(TimeSpan.FromSeconds(1));
            await log.AppendAsync(new AuditRecord(new UserId(9), Role.Viewer, "close", new string('é', 1023) + "\uD83D\uDE80", "denied: needs Trader", "trace-10"), default);
        }

        var result = await VerifyAsync();
        result.IsIntact.ShouldBeTrue(string.Join("; ", result.Problems.Select(p => p.Description)));
        await using var check = _database.CreateContext();
        var rows = await check.AuditLog.AsNoTracking().OrderByDescending(a => a.Id).Take(2).ToListAsync();
        rows[1].Arguments.ShouldBe("a\uFFFDb \uFFFD \uFFFD x\uFFFD");
        rows[0].Arguments.Length.ShouldBe(1024);
        rows[0].Arguments[^1].ShouldBe('\uFFFD');
    }

    [Fact]
    public async Task An_edited_row_is_found()
    {
        var third = await IdAtAsync(2);
        await ExecuteAsync($"UPDATE audit_log SET outcome = 'ok: nothing happened' WHERE id = {third}");

        var result = await VerifyAsync();

        result.IsIntact.ShouldBeFalse();
        result.Problems.ShouldHaveSingleItem().ShouldBe(new AuditProblem(third, $"row {third} was edited: its content no longer matches its hash"));
    }

    [Fact]
    public async Task An_edited_row_with_a_recomputed_hash_breaks_the_next_link()
    {
        await using (var db = _database.CreateContext())
        {
            var row = await db.AuditLog.OrderBy(a => a.Id).Skip(1).FirstAsync();
            row.Arguments = "forged";
            row.Hash = AuditLog.ComputeHash(row);
            await db.SaveChangesAsync();
        }

        var third = await IdAtAsync(2);
        var result = await VerifyAsync();
        result.IsIntact.ShouldBeFalse();
        result.Problems.ShouldContain(p => p.RowId == third && p.Description.Contains("does not follow", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_row_deleted_from_the_middle_is_found()
    {
        var second = await IdAtAsync(1);
        await ExecuteAsync($"DELETE FROM audit_log WHERE id = {second}");

        var result = await VerifyAsync();

        result.IsIntact.ShouldBeFalse();
        result.Problems.ShouldHaveSingleItem().Description.ShouldContain("does not follow");
    }

    [Fact]
    public async Task Rows_deleted_from_the_end_are_found_by_the_head()
    {
        var last = await LastIdAsync();
        await ExecuteAsync($"DELETE FROM audit_log WHERE id >= {last - 1}");

        var result = await VerifyAsync();

        result.IsIntact.ShouldBeFalse();
        result.Problems.ShouldHaveSingleItem().Description.ShouldContain("rows were deleted from the end");
    }

    [Fact]
    public async Task Deleting_the_head_anchor_as_well_is_found()
    {
        await ExecuteAsync($"DELETE FROM system_settings WHERE key = '{AuditHead.SettingKey}'");
        (await VerifyAsync()).Problems.ShouldHaveSingleItem().Description.ShouldContain("head anchor is missing");
    }

    [Fact]
    public async Task Appends_after_verification_keep_the_chain_and_secrets_never_reach_a_row()
    {
        await using (var db = _database.CreateContext())
        {
            await new AuditLog(db, _clock).AppendAsync(
                new AuditRecord(new UserId(9), Role.SuperAdmin, "grant", "password=hunter2 0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "ok", "t"), default);
        }

        (await VerifyAsync()).IsIntact.ShouldBeTrue();
        await using var check = _database.CreateContext();
        var row = await check.AuditLog.OrderByDescending(a => a.Id).FirstAsync();
        row.Arguments.ShouldBe("password=[redacted] [redacted]");
    }

    [Fact]
    public async Task The_admin_migration_anchors_a_log_written_before_it()
    {
        await using var old = TestDatabase.Create(provider);
        await using (var db = old.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261122010000_Trading");

            // Rows as the earlier version wrote them: chained, but with no head anchor.
            var previous = "";
            for (var i = 1; i <= 3; i++)
            {
                var row = new VantaBot.Infrastructure.Persistence.Entities.AuditLogEntity
                {
                    At = _clock.GetUtcNow().AddSeconds(i), ActorId = i, ActorRole = "Trader", Command = "emergency_stop", Outcome = "denied: needs Admin", TraceId = "t", PreviousHash = previous,
                };
                row.Hash = AuditLog.ComputeHash(row);
                db.AuditLog.Add(row);
                await db.SaveChangesAsync();
                previous = row.Hash;
            }

            await db.Database.MigrateAsync();
        }

        await using var check = old.CreateContext();
        var result = await new AuditChainVerifier(check).VerifyAsync(default);
        result.IsIntact.ShouldBeTrue(string.Join("; ", result.Problems.Select(p => p.Description)));
        result.Head.ShouldNotBeNull().Id.ShouldBe(await check.AuditLog.MaxAsync(a => a.Id));
    }

    private async Task<AuditVerification> VerifyAsync()
    {
        await using var db = _database.CreateContext();
        return await new AuditChainVerifier(db).VerifyAsync(default);
    }

    private async Task<long> IdAtAsync(int index)
    {
        await using var db = _database.CreateContext();
        return await db.AuditLog.OrderBy(a => a.Id).Skip(index).Select(a => a.Id).FirstAsync();
    }

    private async Task<long> LastIdAsync()
    {
        await using var db = _database.CreateContext();
        return await db.AuditLog.MaxAsync(a => a.Id);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var db = _database.CreateContext();
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}

public sealed class SqliteAuditChainTests() : AuditChainTests(DatabaseProvider.Sqlite);

public sealed class PostgresAuditChainTests() : AuditChainTests(DatabaseProvider.Postgres);
