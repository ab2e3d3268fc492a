using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Evm.Copy;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Copy;

/// <summary>The watcher cursor table on each database: one row per chain, moved both ways, created once under a race.</summary>
public abstract class ChainCursorStoreTests(DatabaseProvider provider) : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_cursor_round_trips_moves_forward_and_back_and_the_chain_name_ignores_case()
    {
        (await UseAsync(s => s.FindAsync("base", default))).ShouldBeNull();

        var first = new ChainCursor(19_000_000_000, Hash('a'));
        await UseAsync(async s => { await s.SaveAsync("Base", first, default); return true; });
        (await UseAsync(s => s.FindAsync("base", default))).ShouldBe(first);

        var back = new ChainCursor(18_999_999_990, Hash('b'));
        await UseAsync(async s => { await s.SaveAsync("base", back, default); return true; });
        (await UseAsync(s => s.FindAsync("BASE", default))).ShouldBe(back);
        (await UseAsync(s => s.FindAsync("arbitrum", default))).ShouldBeNull();

        await using var db = _database.CreateContext();
        (await db.Set<ChainCursorEntity>().CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_first_saves_of_one_chain_leave_one_row_holding_one_of_them()
    {
        var cursors = Enumerable.Range(1, 8).Select(i => new ChainCursor(100 + i, Hash((char)('0' + i)))).ToArray();

        await Task.WhenAll(cursors.Select(c => Task.Run(() => UseAsync(async s => { await s.SaveAsync("anvil", c, default); return true; }))));

        await using var db = _database.CreateContext();
        (await db.Set<ChainCursorEntity>().CountAsync()).ShouldBe(1);
        cursors.ShouldContain((await UseAsync(s => s.FindAsync("anvil", default)))!);
    }

    private static EvmHash Hash(char digit) => EvmHash.Parse("0x" + new string(digit, 64));

    private async Task<T> UseAsync<T>(Func<ChainCursorStore, Task<T>> action)
    {
        await using var db = _database.CreateContext();
        return await action(new ChainCursorStore(db, TimeProvider.System));
    }
}

public sealed class SqliteChainCursorStoreTests() : ChainCursorStoreTests(DatabaseProvider.Sqlite);

public sealed class PostgresChainCursorStoreTests() : ChainCursorStoreTests(DatabaseProvider.Postgres);
