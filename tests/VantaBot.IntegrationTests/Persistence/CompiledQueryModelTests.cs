using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Persistence;

/// <summary>
/// The hot reads are EF compiled queries, which EF binds to the first model they run against. One process may serve
/// several models (a SQLite and a PostgreSQL host side by side, as these tests do), so each model must get its own:
/// reads that alternate between the two databases each see their own rows.
/// </summary>
public sealed class CompiledQueryModelTests : IAsyncLifetime
{
    private readonly ManualClock _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private TestDatabase _sqlite = null!;
    private TestDatabase _postgres = null!;

    public async Task InitializeAsync()
    {
        _sqlite = TestDatabase.Create(DatabaseProvider.Sqlite);
        _postgres = TestDatabase.Create(DatabaseProvider.Postgres);
        await _sqlite.MigrateAsync();
        await _postgres.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Compiled_reads_alternate_between_a_sqlite_and_a_postgres_model_and_each_sees_its_own_rows()
    {
        var onSqlite = new UserId(1001);
        var onPostgres = new UserId(2002);
        await RegisterAndDepositAsync(_sqlite, onSqlite, 50m);
        await RegisterAndDepositAsync(_postgres, onPostgres, 70m);

        for (var round = 0; round < 2; round++)
        {
            foreach (var (database, present, absent, balance) in new[] { (_sqlite, onSqlite, onPostgres, 50m), (_postgres, onPostgres, onSqlite, 70m) })
            {
                await using var db = database.CreateContext();
                var users = new UserDirectory(db, TestCaches.Uncached(), _time);
                (await users.FindAsync(present, default)).ShouldNotBeNull();
                (await users.FindAsync(absent, default)).ShouldBeNull();

                var ledger = new LedgerStore(db, _time);
                (await ledger.ReadHoldingsAsync(present, default)).Account.Balance.ShouldBe(balance);
                (await ledger.FindByIdempotencyKeyAsync(present, "no-such-order", default)).ShouldBeNull();
            }
        }
    }

    private async Task RegisterAndDepositAsync(TestDatabase database, UserId user, decimal amount)
    {
        await using var db = database.CreateContext();
        await new UserDirectory(db, TestCaches.Uncached(), _time).RegisterOrGetAsync(user, "Trader", Role.Trader, default);
        (await new LedgerStore(db, _time).DepositAsync(user, amount, $"deposit-{user.Value}", default)).ShouldBeTrue();
    }
}
