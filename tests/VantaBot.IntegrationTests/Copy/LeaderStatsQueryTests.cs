using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.IntegrationTests.Support;
using VantaBot.Risk;
using VantaBot.Trading.Copy;
using VantaBot.Trading.DailyLoss;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Copy;

/// <summary>
/// The /leaders query on each database, over closes made by the real open and close path (paper venue): only
/// opted-in traders, ranked by realized PnL, with trades, wins, PnL and drawdown equal to the pure math over the
/// same closes; followed wallets with their followers and recorded swaps.
/// </summary>
public abstract class LeaderStatsQueryTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly UserId Alice = new(5001);
    private static readonly UserId Bob = new(5002);
    private static readonly UserId Carol = new(5003);
    private static readonly UserId Dave = new(5004);
    private static readonly Pair Eth = Pair.Usd("ETH");
    private const string Wallet = "0x00000000000000000000000000000000000000aa";
    private const string OtherWallet = "0x00000000000000000000000000000000000000bb";

    private readonly ManualClock _time = new();
    private readonly DefaultPerpMarkets _markets = new();
    private TestPriceFeed _feed = null!;
    private PaperPerpVenue _venue = null!;
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _feed = new TestPriceFeed(_time);
        _venue = new PaperPerpVenue(_markets, _feed, _time);
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
        await using var db = _database.CreateContext();
        var users = new UserDirectory(db, TestCaches.Uncached(), _time);
        var ledger = new LedgerStore(db, _time);
        foreach (var (user, name) in new[] { (Alice, "Alice"), (Bob, "Bob"), (Carol, "Carol"), (Dave, "Dave") })
        {
            await users.RegisterOrGetAsync(user, name, Role.Trader, default);
            await ledger.DepositAsync(user, 10_000m, "seed", default);
        }
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Opted_in_traders_rank_by_realized_pnl_with_the_record_of_their_real_closes()
    {
        // Alice: a win, then a loss, then a win: her worst fall is exactly the loss.
        var aliceWin1 = await RoundTripAsync(Alice, open: 3000m, close: 3150m);
        var aliceLoss = await RoundTripAsync(Alice, open: 3000m, close: 2950m);
        var aliceWin2 = await RoundTripAsync(Alice, open: 3000m, close: 3100m);

        // Carol wins most, but never offered to be followed; Dave offered and lost; Bob offered and never traded.
        await RoundTripAsync(Carol, open: 3000m, close: 3300m);
        var daveLoss = await RoundTripAsync(Dave, open: 3000m, close: 2900m);
        foreach (var leader in new[] { Alice, Bob, Dave })
        {
            await UseAsync(db => new CopyLeaderStore(db, _time).SetAsync(leader, true, default));
        }

        await UseAsync(db => new CopyLeaderStore(db, _time).SetAsync(Carol, false, default));
        await FollowAsync(new UserId(9001), LeaderRef.Bot(Alice));
        await FollowAsync(new UserId(9002), LeaderRef.Bot(Alice));
        await FollowAsync(new UserId(9001), LeaderRef.Bot(Dave));
        await FollowAsync(new UserId(9003), LeaderRef.Bot(Carol));

        var board = await UseAsync(db => new LeaderStatsQuery(db).TopBotLeadersAsync(10, default));

        board.Select(s => s.User).ShouldBe([Alice, Bob, Dave]);
        var alice = board[0];
        alice.DisplayName.ShouldBe("Alice");
        alice.Followers.ShouldBe(2);
        alice.Performance.Trades.ShouldBe(3);
        alice.Performance.Wins.ShouldBe(2);
        alice.Performance.RealizedPnl.ShouldBe(aliceWin1.RealizedPnl + aliceLoss.RealizedPnl + aliceWin2.RealizedPnl);
        aliceLoss.RealizedPnl.ShouldBeLessThan(0m);
        alice.Performance.MaxDrawdown.ShouldBe(-aliceLoss.RealizedPnl);
        alice.Performance.ShouldBe(LeaderPerformance.FromCloses([aliceWin1.RealizedPnl, aliceLoss.RealizedPnl, aliceWin2.RealizedPnl]));

        board[1].ShouldBe(new BotLeaderStanding(Bob, "Bob", 0, LeaderPerformance.None));
        board[2].Followers.ShouldBe(1);
        board[2].Performance.ShouldBe(new LeaderPerformance(1, 0, daveLoss.RealizedPnl, -daveLoss.RealizedPnl));

        (await UseAsync(db => new LeaderStatsQuery(db).TopBotLeadersAsync(2, default))).Select(s => s.User).ShouldBe([Alice, Bob]);

        // Withdrawing the offer takes a trader off the board at once.
        await UseAsync(db => new CopyLeaderStore(db, _time).SetAsync(Alice, false, default));
        (await UseAsync(db => new LeaderStatsQuery(db).TopBotLeadersAsync(10, default))).Select(s => s.User).ShouldBe([Bob, Dave]);
    }

    [Fact]
    public async Task A_partial_close_is_a_trade_of_its_own()
    {
        _feed.Set(Eth, 3000m);
        var position = await OpenAsync(Alice);
        _feed.Set(Eth, 3100m);
        var half = await CloseAsync(position, 0.5m);
        _time.Advance(TimeSpan.FromMinutes(1));
        _feed.Set(Eth, 2990m);
        var rest = await CloseAsync(position, 1m);
        await UseAsync(db => new CopyLeaderStore(db, _time).SetAsync(Alice, true, default));

        var alice = (await UseAsync(db => new LeaderStatsQuery(db).TopBotLeadersAsync(10, default))).ShouldHaveSingleItem();

        alice.Performance.ShouldBe(LeaderPerformance.FromCloses([half.RealizedPnl, rest.RealizedPnl]));
        alice.Performance.Trades.ShouldBe(2);
    }

    [Fact]
    public async Task Copied_trades_do_not_count_in_a_leaders_record()
    {
        var own = await RoundTripAsync(Alice, 3000m, 3100m);
        _feed.Set(Eth, 3100m);
        var copied = await OpenAsync(Alice, "copy:42");
        _feed.Set(Eth, 2500m);
        (await CloseAsync(copied, 1m)).RealizedPnl.ShouldBeLessThan(0m);
        await UseAsync(db => new CopyLeaderStore(db, _time).SetAsync(Alice, true, default));

        var alice = (await UseAsync(db => new LeaderStatsQuery(db).TopBotLeadersAsync(10, default))).ShouldHaveSingleItem();

        alice.Performance.ShouldBe(LeaderPerformance.FromCloses([own.RealizedPnl]));
    }

    [Fact]
    public async Task Followed_wallets_are_listed_with_followers_and_recorded_swaps_only()
    {
        await FollowAsync(new UserId(9001), LeaderRef.Evm(Wallet));
        await FollowAsync(new UserId(9002), LeaderRef.Evm(Wallet));
        await FollowAsync(new UserId(9003), LeaderRef.Evm(OtherWallet));
        await FollowAsync(new UserId(9003), LeaderRef.Bot(Alice));
        for (var i = 0; i < 3; i++)
        {
            var hash = "0x" + i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);
            var swap = new LeaderTrade.Swap($"evm:anvil:{hash}", LeaderRef.Evm(Wallet), _time.GetUtcNow(), "anvil", "WETH", "USDC", 1m, 3000m, hash, 10 + i);
            (await UseAsync(db => new LeaderTradeInbox(db, _time).RecordAsync(swap, default))).ShouldBeTrue();
        }

        // A bot leader's perp trade never counts as a wallet's swap.
        var open = new LeaderTrade.PerpOpen("perp-open:a", LeaderRef.Bot(Alice), _time.GetUtcNow(), PositionId.New(), Eth, Side.Long, 100m, 5m);
        (await UseAsync(db => new LeaderTradeInbox(db, _time).RecordAsync(open, default))).ShouldBeTrue();

        var wallets = await UseAsync(db => new LeaderStatsQuery(db).FollowedEvmLeadersAsync(10, default));

        wallets.ShouldBe([new EvmLeaderActivity(Wallet, 2, 3), new EvmLeaderActivity(OtherWallet, 1, 0)]);
        (await UseAsync(db => new LeaderStatsQuery(db).FollowedEvmLeadersAsync(1, default))).ShouldBe([new EvmLeaderActivity(Wallet, 2, 3)]);
    }

    [Fact]
    public async Task An_empty_database_has_an_empty_board()
    {
        (await UseAsync(db => new LeaderStatsQuery(db).TopBotLeadersAsync(10, default))).ShouldBeEmpty();
        (await UseAsync(db => new LeaderStatsQuery(db).FollowedEvmLeadersAsync(10, default))).ShouldBeEmpty();
    }

    private async Task<PositionClose> RoundTripAsync(UserId user, decimal open, decimal close)
    {
        _feed.Set(Eth, open);
        var position = await OpenAsync(user);
        _time.Advance(TimeSpan.FromMinutes(5));
        _feed.Set(Eth, close);
        var closed = await CloseAsync(position, 1m);
        _time.Advance(TimeSpan.FromMinutes(1));
        return closed;
    }

    private async Task<Position> OpenAsync(UserId user, string? key = null)
    {
        await using var db = _database.CreateContext();
        var order = new OpenPositionOrder(user, key ?? $"open:{Guid.NewGuid():N}", Eth, Side.Long, 1000m, 10m, null, null, IsConfirmed: false);
        return (await Trades(db).OpenAsync(order, default)).ShouldBeOfType<OpenPositionOutcome.Opened>().Position;
    }

    private async Task<PositionClose> CloseAsync(Position position, decimal fraction)
    {
        await using var db = _database.CreateContext();
        var ledger = new LedgerStore(db, _time);
        var closes = new PerpCloseService(ledger, new PositionStore(db), _venue, new TradeGates([]), _time, NullLogger<PerpCloseService>.Instance);
        var outcome = await closes.CloseAsync(new ClosePositionOrder(position.User, $"close:{Guid.NewGuid():N}", position.Id, fraction, CloseReason.Manual), default);
        return outcome.ShouldBeOfType<ClosePositionOutcome.Closed>().Close;
    }

    private PerpTradeService Trades(VantaBotDbContext db)
    {
        var ledger = new LedgerStore(db, _time);
        var risk = Options.Create(new RiskOptions());
        return new PerpTradeService(
            ledger, new PortfolioValuation(ledger, _feed), _venue, _markets, _feed,
            new LeverageSafetyManager(LeverageSafetyManager.BuiltInRules(risk), risk), new TradeGates([]), risk, _time,
            new DayStartEquity(new DailyEquityStore(db, TestCaches.Uncached()), _time), NullLogger<PerpTradeService>.Instance);
    }

    private Task FollowAsync(UserId follower, LeaderRef leader) =>
        UseAsync(db => new FollowStore(db, _time).UpsertAsync(new Follow(follower, leader, FollowSettings.Default, _time.GetUtcNow()), default));

    private async Task<T> UseAsync<T>(Func<VantaBotDbContext, Task<T>> action)
    {
        await using var db = _database.CreateContext();
        return await action(db);
    }
}

public sealed class SqliteLeaderStatsQueryTests() : LeaderStatsQueryTests(DatabaseProvider.Sqlite);

public sealed class PostgresLeaderStatsQueryTests() : LeaderStatsQueryTests(DatabaseProvider.Postgres);
