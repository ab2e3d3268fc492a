using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Sqlite;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Persistence;

/// <summary>
/// The in-process queue for SQLite writers, on a real database file: which statements take the file's gate, that every
/// way a write can end gives it back, and that many concurrent writers neither lose an update nor leave it taken.
/// </summary>
public sealed class SqliteWriteGateTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();
    private SemaphoreSlim _gate = null!;
    private SqliteConnection _probe = null!;

    public async Task InitializeAsync()
    {
        await using (var db = Context())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE gate_probe (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, m INTEGER NOT NULL)");
            await db.Database.ExecuteSqlRawAsync("INSERT INTO gate_probe (id, n, m) VALUES (1, 0, 0)");
        }

        // The gate is found through an open connection, which reports the file's full path, as the bot's do.
        _probe = new SqliteConnection(_database.Options.ConnectionString);
        await _probe.OpenAsync();
        _gate = SqliteWriteGates.Shared.For(_probe)!;
        _gate.CurrentCount.ShouldBe(1);
    }

    public async Task DisposeAsync()
    {
        await _probe.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_transaction_holds_the_gate_from_begin_to_commit_and_from_begin_to_rollback()
    {
        await using var db = Context();
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            _gate.CurrentCount.ShouldBe(0);
            await db.Database.ExecuteSqlRawAsync("UPDATE gate_probe SET n = n + 1");
            (await db.Database.SqlQueryRaw<int>("SELECT n AS \"Value\" FROM gate_probe").SingleAsync()).ShouldBe(1);
            _gate.CurrentCount.ShouldBe(0);
            await tx.CommitAsync();
        }

        _gate.CurrentCount.ShouldBe(1);

        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE gate_probe SET n = n + 100");
            _gate.CurrentCount.ShouldBe(0);
            await tx.RollbackAsync();
        }

        _gate.CurrentCount.ShouldBe(1);
        (await N()).ShouldBe(1);
    }

    [Fact]
    public async Task A_select_outside_a_transaction_never_takes_the_gate_even_while_its_reader_is_open()
    {
        await using var db = Context();
        await using var rows = db.Database.SqlQueryRaw<int>("-- tagged by EF\nSELECT n AS \"Value\" FROM gate_probe").AsAsyncEnumerable().GetAsyncEnumerator();
        (await rows.MoveNextAsync()).ShouldBeTrue();
        _gate.CurrentCount.ShouldBe(1);
    }

    [Fact]
    public async Task An_update_returning_rows_holds_the_gate_until_its_reader_is_disposed()
    {
        await using var db = Context();
        var rows = db.Database.SqlQueryRaw<int>("UPDATE gate_probe SET n = n + 1 RETURNING n AS \"Value\"").AsAsyncEnumerable().GetAsyncEnumerator();
        (await rows.MoveNextAsync()).ShouldBeTrue();
        rows.Current.ShouldBe(1);
        _gate.CurrentCount.ShouldBe(0);

        await rows.DisposeAsync();
        _gate.CurrentCount.ShouldBe(1);
    }

    [Fact]
    public async Task A_write_that_fails_gives_the_gate_back()
    {
        await using var db = Context();
        await Should.ThrowAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("INSERT INTO gate_probe (id, n, m) VALUES (1, 0, 0)"));
        _gate.CurrentCount.ShouldBe(1);

        await using var tx = await db.Database.BeginTransactionAsync();
        await Should.ThrowAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("INSERT INTO gate_probe (id, n, m) VALUES (1, 0, 0)"));
        _gate.CurrentCount.ShouldBe(0);
        await tx.RollbackAsync();
        _gate.CurrentCount.ShouldBe(1);
    }

    [Fact]
    public async Task A_transaction_disposed_without_commit_on_a_connection_kept_open_gives_the_gate_back_at_the_next_statement_or_the_close()
    {
        await using var db = Context();
        await db.Database.OpenConnectionAsync();
        await using (await db.Database.BeginTransactionAsync())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE gate_probe SET n = n + 100");
        }

        // Disposed unfinished: SQLite rolled it back, and no event told the gate; the next statement does.
        (await db.Database.SqlQueryRaw<int>("SELECT n AS \"Value\" FROM gate_probe").SingleAsync()).ShouldBe(0);
        _gate.CurrentCount.ShouldBe(1);

        await using (await db.Database.BeginTransactionAsync())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE gate_probe SET n = n + 100");
        }

        await db.Database.CloseConnectionAsync();
        _gate.CurrentCount.ShouldBe(1);
        (await N()).ShouldBe(0);
    }

    [Fact]
    public async Task Concurrent_writers_of_every_kind_lose_no_update_and_leave_the_gate_free()
    {
        const int Writers = 8;
        const int Rounds = 25;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                await using var db = Context();

                // Read-modify-write in a transaction: the read must see the last committed value.
                await using (var tx = await db.Database.BeginTransactionAsync())
                {
                    var n = await db.Database.SqlQueryRaw<int>("SELECT n AS \"Value\" FROM gate_probe").SingleAsync();
                    await db.Database.ExecuteSqlAsync($"UPDATE gate_probe SET n = {n + 1}");
                    await tx.CommitAsync();
                }

                // Auto-commit writes, one with a reader.
                await db.Database.ExecuteSqlRawAsync("UPDATE gate_probe SET m = m + 1");
                _ = await db.Database.SqlQueryRaw<int>("UPDATE gate_probe SET m = m + 1 RETURNING m AS \"Value\"").ToListAsync();
            }
        })));

        (await N()).ShouldBe(Writers * Rounds);
        (await Scalar("SELECT m FROM gate_probe")).ShouldBe(2 * Writers * Rounds);
        _gate.CurrentCount.ShouldBe(1);
    }

    [Fact]
    public async Task A_writer_queued_past_the_bound_goes_on_to_sqlite_and_succeeds()
    {
        // The test holds the gate as a stuck writer would; SQLite's own lock is free, so the write succeeds once the
        // bound lets it past the queue.
        await _gate.WaitAsync();
        try
        {
            await using var db = Context(TimeSpan.FromMilliseconds(50));
            await db.Database.ExecuteSqlRawAsync("UPDATE gate_probe SET n = n + 1");
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                await db.Database.ExecuteSqlRawAsync("UPDATE gate_probe SET n = n + 1");
                await tx.CommitAsync();
            }

            _gate.CurrentCount.ShouldBe(0);
        }
        finally
        {
            _gate.Release();
        }

        (await N()).ShouldBe(2);
    }

    [Fact]
    public async Task With_the_queue_off_no_write_touches_the_gate()
    {
        await using var db = Context(TimeSpan.Zero);
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync("UPDATE gate_probe SET n = n + 1");
        _gate.CurrentCount.ShouldBe(1);
        await tx.CommitAsync();
    }

    [Theory]
    [InlineData("SELECT 1", false)]
    [InlineData("  select n FROM t", false)]
    [InlineData("-- tag\n-- another\nSELECT 1", false)]
    [InlineData("INSERT INTO t VALUES (1)", true)]
    [InlineData("UPDATE t SET n = 1 RETURNING n", true)]
    [InlineData("-- tag\nDELETE FROM t", true)]
    [InlineData("WITH x AS (SELECT 1) SELECT * FROM x", true)]
    [InlineData("PRAGMA journal_mode=WAL;", true)]
    [InlineData("-- only a comment", true)]
    public void Only_a_plain_select_counts_as_a_read(string sql, bool write) => SqliteWriteGate.IsWrite(sql).ShouldBe(write);

    private VantaBotDbContext Context(TimeSpan? queueTimeout = null)
    {
        var options = _database.Options;
        options.SqliteWriterQueueTimeout = queueTimeout ?? options.SqliteWriterQueueTimeout;
        var builder = new DbContextOptionsBuilder<VantaBotDbContext>();
        PersistenceRegistration.Configure(builder, options);
        return new VantaBotDbContext(builder.Options);
    }

    private Task<int> N() => Scalar("SELECT n FROM gate_probe");

    private async Task<int> Scalar(string sql)
    {
        await using var command = _probe.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }
}
