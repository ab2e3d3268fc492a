using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Copy;

/// <summary>The copy-trading tables on each database: follows round-trip with their rules, leader trades are recorded once.</summary>
public abstract class CopyStoreTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const string Address = "0xAbC0000000000000000000000000000000000001";
    private static readonly UserId Follower = new(3001);
    private static readonly UserId LeaderUser = new(3002);
    private readonly ManualClock _time = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_follow_round_trips_its_rules_and_a_second_follow_replaces_them()
    {
        var leader = LeaderRef.Evm(Address);
        var settings = new FollowSettings(new CopySize(CopySizeKind.FixedUsd, 25m), 100m, 5m, new HashSet<string> { "ETH", "BTC" });
        (await UseFollowsAsync(s => s.UpsertAsync(new Follow(Follower, leader, settings, _time.GetUtcNow()), default))).ShouldBe(FollowChange.Created);

        var stored = (await UseFollowsAsync(s => s.FindAsync(Follower, LeaderRef.Evm(Address.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)), default)))!;
        stored.Leader.Key.ShouldBe(Address.ToLowerInvariant());
        stored.Settings.Size.ShouldBe(new CopySize(CopySizeKind.FixedUsd, 25m));
        stored.Settings.MaxUsd.ShouldBe(100m);
        stored.Settings.MaxLeverage.ShouldBe(5m);
        stored.Settings.Pairs!.Order().ShouldBe(["BTC", "ETH"]);

        (await UseFollowsAsync(s => s.UpsertAsync(new Follow(Follower, leader, FollowSettings.Default, _time.GetUtcNow()), default))).ShouldBe(FollowChange.Updated);
        var replaced = (await UseFollowsAsync(s => s.FindAsync(Follower, leader, default)))!;
        replaced.Settings.ShouldBe(FollowSettings.Default);
        (await UseFollowsAsync(s => s.ListFollowedEvmAddressesAsync(default))).ShouldBe([Address.ToLowerInvariant()]);

        (await UseFollowsAsync(s => s.RemoveAsync(Follower, leader, default))).ShouldBeTrue();
        (await UseFollowsAsync(s => s.RemoveAsync(Follower, leader, default))).ShouldBeFalse();
        (await UseFollowsAsync(s => s.ListByFollowerAsync(Follower, default))).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_leader_trade_is_recorded_once_however_often_and_concurrently_it_is_seen()
    {
        var trade = new LeaderTrade.Swap("evm:anvil:0x" + new string('1', 64), LeaderRef.Evm(Address), _time.GetUtcNow(), "anvil", "WETH", "USDC", 1.5m, 4500m, "0x" + new string('1', 64), 42);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => UseInboxAsync(i => i.RecordAsync(trade, default)))));
        results.Count(r => r).ShouldBe(1);

        var open = new LeaderTrade.PerpOpen("perp-open:x", LeaderRef.Bot(LeaderUser), _time.GetUtcNow(), PositionId.New(), Pair.Usd("ETH"), Side.Short, 100m, 7.5m);
        (await UseInboxAsync(i => i.RecordAsync(open, default))).ShouldBeTrue();

        await using var db = _database.CreateContext();
        var stored = db.Set<LeaderTradeEntity>().OrderBy(t => t.Id).AsEnumerable().Select(t => t.ToDomain()).ToList();
        stored.ShouldBe([trade, open]);
    }

    [Fact]
    public async Task Leader_opt_in_is_remembered_and_can_be_withdrawn()
    {
        (await UseLeadersAsync(s => s.SetAsync(LeaderUser, true, default))).ShouldBeFalse();
        (await UseLeadersAsync(s => s.IsLeaderAsync(LeaderUser, default))).ShouldBeTrue();
        (await UseLeadersAsync(s => s.ListAsync(default))).ShouldBe([LeaderUser]);
        (await UseLeadersAsync(s => s.SetAsync(LeaderUser, false, default))).ShouldBeTrue();
        (await UseLeadersAsync(s => s.IsLeaderAsync(LeaderUser, default))).ShouldBeFalse();
    }

    private async Task<T> UseFollowsAsync<T>(Func<FollowStore, Task<T>> action)
    {
        await using var db = _database.CreateContext();
        return await action(new FollowStore(db, _time));
    }

    private async Task<T> UseLeadersAsync<T>(Func<CopyLeaderStore, Task<T>> action)
    {
        await using var db = _database.CreateContext();
        return await action(new CopyLeaderStore(db, _time));
    }

    private async Task<T> UseInboxAsync<T>(Func<LeaderTradeInbox, Task<T>> action)
    {
        await using var db = _database.CreateContext();
        return await action(new LeaderTradeInbox(db, _time));
    }
}

public sealed class SqliteCopyStoreTests() : CopyStoreTests(DatabaseProvider.Sqlite);

public sealed class PostgresCopyStoreTests() : CopyStoreTests(DatabaseProvider.Postgres);
