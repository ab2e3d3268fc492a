using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.IntegrationTests.Faults;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Copy.Mirroring;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;
using Xunit.Abstractions;

namespace VantaBot.IntegrationTests.Copy;

/// <summary>
/// The bot executable SIGKILLed while it mirrors a leader's trade to its followers, then started again on the same
/// PostgreSQL database: every follower ends with exactly one copied order, no hold is left behind, and the ledger
/// still adds up. The killed worker's leased mirrors are claimed again once the lease ends.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class MirrorCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Enough that the kill (after the first few) lands mid-stream however fast the bot is: with 20, a pooled,
    // leaner bot once resolved them all between the test's look and its kill.
    private const int Followers = 100;
    private static readonly UserId Leader = new(5001);
    private readonly string _workDir = Directory.CreateTempSubdirectory("vantabot-mirrorcrash-").FullName;
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(DatabaseProvider.Postgres);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }

    [Fact]
    public async Task Killed_mid_stream_and_restarted_every_follower_is_copied_exactly_once()
    {
        var followers = Enumerable.Range(0, Followers).Select(i => new UserId(5600 + i)).ToList();
        var time = TimeProvider.System;
        await using (var db = _database.CreateContext())
        {
            var ledger = new LedgerStore(db, time);
            var follows = new FollowStore(db, time);
            foreach (var follower in followers)
            {
                await ledger.DepositAsync(follower, 1_000m, "seed", default);
                await follows.UpsertAsync(new Follow(follower, LeaderRef.Bot(Leader), FollowSettings.Default with { Size = new CopySize(CopySizeKind.FixedUsd, 60m) }, time.GetUtcNow()), default);
            }

            // As the capture records it when the leader's own open settles.
            var trade = new LeaderTrade.PerpOpen("perp-open:crash", LeaderRef.Bot(Leader), time.GetUtcNow(), PositionId.New(), Pair.Usd("ETH"), Side.Long, 1_000m, 2m);
            (await new LeaderTradeInbox(db, time).RecordAsync(trade, default)).ShouldBeTrue();
        }

        var tradeId = await TradeIdAsync();
        var settings = Settings();
        using (var bot = await FaultSettings.StartReadyBotAsync(settings, _workDir))
        {
            await WaitUntilAsync(async () => await ResolvedAsync(tradeId) >= 3, "a few mirrors resolved");
            await bot.KillAsync();
        }

        var atKill = await ResolvedAsync(tradeId);
        output.WriteLine($"killed with {atKill} of {Followers} mirrors resolved");
        atKill.ShouldBeLessThan(Followers, "the kill came mid-stream");

        using (var bot = await FaultSettings.StartReadyBotAsync(settings, _workDir))
        {
            await WaitUntilAsync(async () => await ResolvedAsync(tradeId) == Followers && await UnresolvedIntentsAsync() == 0, "every mirror and intent resolved");
            await bot.KillAsync();
        }

        await using var check = _database.CreateContext();
        var mirrors = await check.Set<MirrorEntity>().AsNoTracking().Where(m => m.LeaderTradeId == tradeId).ToListAsync();
        output.WriteLine(string.Join('\n', mirrors.Select(m => $"{m.FollowerId.Value}: {m.State} {m.Reason} attempts {m.Attempts}")));
        mirrors.Count.ShouldBe(Followers);
        var key = MirrorPlanner.KeyFor(tradeId);
        foreach (var mirror in mirrors)
        {
            var intent = (await check.OrderIntents.AsNoTracking().Where(i => i.UserId == mirror.FollowerId).ToListAsync()).ShouldHaveSingleItem();
            intent.IdempotencyKey.ShouldBe(key);
            (await check.Positions.CountAsync(p => p.UserId == mirror.FollowerId)).ShouldBeLessThanOrEqualTo(1);
            if (mirror.State == MirrorState.Done)
            {
                continue;
            }

            // A kill while the order was placed or at the paper venue loses it (the DRY venue lives in the process): recovery
            // fails or cancels the intent, the re-run finds that, and the follower is told instead of getting a second order.
            mirror.State.ShouldBe(MirrorState.Skipped, mirror.Reason);
            intent.State.ShouldBeOneOf(IntentState.Failed, IntentState.Cancelled);
            var notice = await check.Set<Infrastructure.Persistence.Outbox.OutboxMessageEntity>().AsNoTracking().SingleAsync(m => m.Key == MirrorStore.NoticeKey(mirror.Id));
            notice.Text.ShouldStartWith($"⏭ Not copied: #{Leader.Value} LONG ETH 2x — ");
        }

        (await new LedgerStore(check, time).VerifyAsync(default)).ShouldBeEmpty();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Telegram:BotToken"] = TelegramEmulator.NewBotToken(),
        ["Telegram:ApiBaseUrl"] = TelegramEmulator.BaseUrlFromEnvironment().ToString(),
        ["Telegram:PollingIdleDelay"] = "00:00:00.100",
        ["Telegram:PollingTimeoutSeconds"] = "0",
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Main"] = _database.Options.ConnectionString,
        ["Redis:Connection"] = RedisServer.SharedConnection,
        ["Limits:KeyPrefix"] = $"test:{Guid.NewGuid():N}",
        ["Limits:StoreTimeout"] = "00:00:00.500",
        ["Copy:Workers"] = "2",
        ["Copy:ClaimBatch"] = "1",
        ["Copy:ClaimLease"] = "00:00:10",
        ["Copy:PollInterval"] = "00:00:00.100",
        ["Jobs:RecoveryInterval"] = "00:00:01",
        ["Jobs:RecoveryMinAge"] = "00:00:10",
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };

    private async Task<long> TradeIdAsync()
    {
        await using var db = _database.CreateContext();
        return await db.Set<LeaderTradeEntity>().Select(t => t.Id).SingleAsync();
    }

    private async Task<int> ResolvedAsync(long tradeId)
    {
        await using var db = _database.CreateContext();
        return await db.Set<MirrorEntity>().CountAsync(m => m.LeaderTradeId == tradeId && m.State != MirrorState.Pending);
    }

    private async Task<int> UnresolvedIntentsAsync()
    {
        await using var db = _database.CreateContext();
        return await db.OrderIntents.CountAsync(i => i.State == IntentState.Pending || i.State == IntentState.Submitted);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(120);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Never reached: {what}.");
            }

            await Task.Delay(25);
        }
    }
}
