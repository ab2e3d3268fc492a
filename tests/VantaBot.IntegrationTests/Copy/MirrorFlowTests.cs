using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Copy.Mirroring;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Copy;

/// <summary>
/// Mirroring through the whole bot host on each database with the real Redis limiter: a bot leader's own trade is
/// captured with its settlement, fanned out to the followers, and each follower's copy runs as their own order.
/// </summary>
public abstract class MirrorFlowTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly UserId Leader = new(5001);
    private readonly string _prefix = $"test:{Guid.NewGuid():N}";
    private TestDatabase _database = null!;

    public Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_leaders_open_is_mirrored_with_each_followers_size_cap_and_leverage_and_skips_are_reported()
    {
        await using var bot = await MirrorTestBot.StartAsync(_database, _prefix);
        await bot.DepositAsync(Leader, 100_000m);
        await bot.LeadAsync(Leader);
        UserId fixedUsd = new(5101), percent = new(5102), capped = new(5103), clamped = new(5104), btcOnly = new(5105), gone = new(5106), poor = new(5107);
        foreach (var follower in new[] { fixedUsd, percent, capped, clamped, btcOnly, gone })
        {
            await bot.DepositAsync(follower, 10_000m);
        }

        await bot.DepositAsync(poor, 10m);
        await bot.FollowAsync(fixedUsd, Leader, Size(CopySizeKind.FixedUsd, 50m));
        await bot.FollowAsync(percent, Leader, Size(CopySizeKind.PercentOfLeader, 10m));
        await bot.FollowAsync(capped, Leader, FollowSettings.Default with { MaxUsd = 200m });
        await bot.FollowAsync(clamped, Leader, Size(CopySizeKind.FixedUsd, 100m) with { MaxLeverage = 2m });
        await bot.FollowAsync(btcOnly, Leader, FollowSettings.Default with { Pairs = new HashSet<string> { "BTC" } });
        await bot.FollowAsync(gone, Leader, FollowSettings.Default);
        await bot.FollowAsync(poor, Leader, Size(CopySizeKind.FixedUsd, 100m));
        await bot.UseAsync(sp => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<IFollowStore>(sp).RemoveAsync(gone, LeaderRef.Bot(Leader), default));

        var position = await bot.OpenAsync(Leader, Side.Long, 1000m, 5m, "update:1");
        var trade = (await bot.TradeAsync($"perp-open:{(await bot.IntentsAsync(Leader)).Single().Id}")).ShouldNotBeNull();
        trade.Kind.ShouldBe(LeaderTradeKind.PerpOpen);
        trade.LeaderPositionId.ShouldBe(position.Id.Value);
        trade.Collateral.ShouldBe(1000m);

        var mirrors = await bot.WaitResolvedAsync(trade.Id);
        mirrors.Select(m => m.FollowerId).ShouldBe([fixedUsd, percent, capped, clamped, btcOnly, poor], ignoreOrder: true);
        var key = MirrorPlanner.KeyFor(trade.Id);
        await ShouldHaveCopiedAsync(bot, fixedUsd, key, 50m, 5m);
        await ShouldHaveCopiedAsync(bot, percent, key, 100m, 5m);
        await ShouldHaveCopiedAsync(bot, capped, key, 200m, 5m);
        await ShouldHaveCopiedAsync(bot, clamped, key, 100m, 2m);
        (await bot.NoticeAsync(Of(mirrors, clamped).Id)).ShouldBe($"📋 Copied #{Leader.Value} LONG ETH 5x: Leverage lowered from 5x to your maxlev 2x.");
        (await bot.NoticeAsync(Of(mirrors, capped).Id)).ShouldBe($"📋 Copied #{Leader.Value} LONG ETH 5x: Collateral capped at your max of 200 USD.");
        (await bot.NoticeAsync(Of(mirrors, fixedUsd).Id)).ShouldBeNull("a plain copy is told by its fill notice only");

        Of(mirrors, btcOnly).State.ShouldBe(MirrorState.Skipped);
        (await bot.NoticeAsync(Of(mirrors, btcOnly).Id)).ShouldBe($"⏭ Not copied: #{Leader.Value} LONG ETH 5x — ETH is not in your pairs (BTC)");
        (await bot.IntentsAsync(btcOnly)).ShouldBeEmpty();

        Of(mirrors, poor).State.ShouldBe(MirrorState.Skipped);
        (await bot.NoticeAsync(Of(mirrors, poor).Id)).ShouldBe($"⏭ Not copied: #{Leader.Value} LONG ETH 5x — Available balance 10.00 USDC does not cover 100.00 USDC collateral");
        (await bot.IntentsAsync(gone)).ShouldBeEmpty("unfollowed before the trade");

        // A copy is never captured as a leader trade of its own, even when its trader is a leader too.
        (await bot.TradesAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Leader_closes_half_then_the_rest_and_followers_close_the_same_parts_of_their_copies()
    {
        await using var bot = await MirrorTestBot.StartAsync(_database, _prefix);
        await bot.DepositAsync(Leader, 100_000m);
        await bot.LeadAsync(Leader);
        UserId first = new(5201), second = new(5202);
        await bot.DepositAsync(first, 10_000m);
        await bot.DepositAsync(second, 10_000m);
        await bot.FollowAsync(first, Leader, Size(CopySizeKind.FixedUsd, 100m));
        await bot.FollowAsync(second, Leader, Size(CopySizeKind.FixedUsd, 300m));

        var position = await bot.OpenAsync(Leader, Side.Short, 1000m, 3m, "update:open");
        var open = (await bot.TradesAsync()).Single();
        var opened = await bot.WaitResolvedAsync(open.Id);
        opened.ShouldAllBe(m => m.State == MirrorState.Done && m.FollowerPositionId != null);

        // The leader opts out before closing: followers still leave with the leader.
        await bot.UseAsync(sp => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<ICopyLeaderStore>(sp).SetAsync(Leader, false, default));
        var firstCopy = new PositionId(Of(opened, first).FollowerPositionId!.Value);
        var before = (await bot.PositionAsync(firstCopy))!.Collateral;
        var half = await bot.CloseAsync(Leader, position.Id, 0.5m, "update:half");
        var halfTrade = (await bot.TradeAsync($"perp-close:{half.Intent}")).ShouldNotBeNull();
        halfTrade.Fraction.ShouldBe(0.5m);
        (await bot.WaitResolvedAsync(halfTrade.Id)).ShouldAllBe(m => m.State == MirrorState.Done);
        (await bot.PositionAsync(firstCopy))!.Collateral.ShouldBe(before / 2m, 0.000001m);
        (await bot.PositionAsync(new PositionId(Of(opened, second).FollowerPositionId!.Value)))!.Status.ShouldBe(PositionStatus.Open);

        var rest = await bot.CloseAsync(Leader, position.Id, 1m, "update:rest");
        var restTrade = (await bot.TradeAsync($"perp-close:{rest.Intent}")).ShouldNotBeNull();
        (await bot.WaitResolvedAsync(restTrade.Id)).ShouldAllBe(m => m.State == MirrorState.Done);
        foreach (var follower in new[] { first, second })
        {
            (await bot.PositionAsync(new PositionId(Of(opened, follower).FollowerPositionId!.Value)))!.Status.ShouldBe(PositionStatus.Closed);
            var closes = (await bot.IntentsAsync(follower)).Where(i => i.Kind == IntentKind.ClosePerp).ToList();
            closes.Select(c => (c.CloseFraction, c.CloseReason, c.IdempotencyKey)).ShouldBe(
            [
                (0.5m, CloseReason.Copy, MirrorPlanner.KeyFor(halfTrade.Id)),
                (1m, CloseReason.Copy, MirrorPlanner.KeyFor(restTrade.Id)),
            ]);
        }

        // Opted out: the leader's new opens are not offered to anyone any more.
        await bot.OpenAsync(Leader, Side.Long, 100m, 2m, "update:after-opt-out");
        (await bot.TradesAsync()).Select(t => t.Kind).ShouldBe([LeaderTradeKind.PerpOpen, LeaderTradeKind.PerpClose, LeaderTradeKind.PerpClose]);
    }

    [Fact]
    public async Task A_follower_at_the_copy_limit_is_skipped_with_the_limit_named()
    {
        await using var bot = await MirrorTestBot.StartAsync(_database, _prefix, new Dictionary<string, string?> { ["Limits:CopyExecutionsPerMinute"] = "1" });
        await bot.DepositAsync(Leader, 100_000m);
        await bot.LeadAsync(Leader);
        var follower = new UserId(5301);
        await bot.DepositAsync(follower, 10_000m);
        await bot.FollowAsync(follower, Leader, Size(CopySizeKind.FixedUsd, 100m));

        await bot.OpenAsync(Leader, Side.Long, 500m, 4m, "update:a");
        await bot.OpenAsync(Leader, Side.Long, 500m, 4m, "update:b");
        var trades = await bot.TradesAsync();
        trades.Count.ShouldBe(2);
        var mirrors = new[] { (await bot.WaitResolvedAsync(trades[0].Id)).Single(), (await bot.WaitResolvedAsync(trades[1].Id)).Single() };

        // Workers run mirrors in parallel, so either copy may be the one that meets the limit.
        mirrors.Select(m => m.State).ShouldBe([MirrorState.Done, MirrorState.Skipped], ignoreOrder: true);
        var skipped = mirrors.Single(m => m.State == MirrorState.Skipped);
        var notice = (await bot.NoticeAsync(skipped.Id)).ShouldNotBeNull();
        notice.ShouldStartWith($"⏭ Not copied: #{Leader.Value} LONG ETH 4x — ");
        notice.ShouldContain("copy-trade executions 1 per minute");
        (await bot.IntentsAsync(follower)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_restart_mid_stream_copies_every_follower_once()
    {
        const int followers = 24;
        var settings = new Dictionary<string, string?> { ["Copy:Workers"] = "1", ["Copy:ClaimBatch"] = "2", ["Copy:ClaimLease"] = "00:00:10" };
        var ids = Enumerable.Range(0, followers).Select(i => new UserId(5400 + i)).ToList();
        long tradeId;
        await using (var first = await MirrorTestBot.StartAsync(_database, _prefix, settings))
        {
            await first.DepositAsync(Leader, 100_000m);
            await first.LeadAsync(Leader);
            foreach (var follower in ids)
            {
                await first.DepositAsync(follower, 1_000m);
                await first.FollowAsync(follower, Leader, Size(CopySizeKind.FixedUsd, 60m));
            }

            await first.OpenAsync(Leader, Side.Long, 1000m, 2m, "update:restart");
            tradeId = (await first.TradesAsync()).Single().Id;
            await WaitUntilAsync(async () => (await first.MirrorsAsync(tradeId)).Count(m => m.State != MirrorState.Pending) >= 3);
        }

        var stoppedWith = (await MirrorsOfAsync(tradeId)).Count(m => m.State != MirrorState.Pending);
        stoppedWith.ShouldBeLessThan(followers, "the first instance stopped mid-stream");

        await using var second = await MirrorTestBot.StartAsync(_database, _prefix, settings);
        var mirrors = await second.WaitResolvedAsync(tradeId);
        mirrors.Count.ShouldBe(followers);
        mirrors.Where(m => m.State != MirrorState.Done).Select(m => $"{m.FollowerId.Value}: {m.State} {m.Reason}").ShouldBeEmpty();
        foreach (var follower in ids)
        {
            var intents = await second.IntentsAsync(follower);
            intents.ShouldHaveSingleItem().IdempotencyKey.ShouldBe(MirrorPlanner.KeyFor(tradeId));
        }

        async Task<List<MirrorEntity>> MirrorsOfAsync(long id)
        {
            await using var db = _database.CreateContext();
            return [.. db.Set<MirrorEntity>().Where(m => m.LeaderTradeId == id)];
        }
    }

    [Fact]
    public async Task Two_instances_fan_out_and_run_the_same_stream_and_each_follower_trades_once()
    {
        const int followers = 16;
        var settings = new Dictionary<string, string?> { ["Copy:Workers"] = "2", ["Copy:ClaimBatch"] = "1" };
        var ids = Enumerable.Range(0, followers).Select(i => new UserId(5500 + i)).ToList();
        await using var first = await MirrorTestBot.StartAsync(_database, _prefix, settings);
        await using var second = await MirrorTestBot.StartAsync(_database, _prefix, settings);
        await first.DepositAsync(Leader, 100_000m);
        await first.LeadAsync(Leader);
        foreach (var follower in ids)
        {
            await first.DepositAsync(follower, 1_000m);
            await second.FollowAsync(follower, Leader, Size(CopySizeKind.FixedUsd, 60m));
        }

        await first.OpenAsync(Leader, Side.Long, 1000m, 2m, "update:twice");
        var trade = (await first.TradesAsync()).Single();
        var mirrors = await second.WaitResolvedAsync(trade.Id);

        mirrors.Count.ShouldBe(followers);
        mirrors.Where(m => m.State != MirrorState.Done).Select(m => $"{m.FollowerId.Value}: {m.State} {m.Reason}").ShouldBeEmpty();
        foreach (var follower in ids)
        {
            (await first.IntentsAsync(follower)).ShouldHaveSingleItem().IdempotencyKey.ShouldBe(MirrorPlanner.KeyFor(trade.Id));
        }

        // The fill's own notice says where the trade came from.
        var fill = await first.OutboxTextAsync($"trade:{ids[0].Value}:{MirrorPlanner.KeyFor(trade.Id)}");
        fill.ShouldNotBeNull().ShouldEndWith("📋 Copied from a leader you follow (/following).");
    }

    private static FollowSettings Size(CopySizeKind kind, decimal value) => FollowSettings.Default with { Size = new CopySize(kind, value) };

    private static MirrorEntity Of(IEnumerable<MirrorEntity> mirrors, UserId follower) => mirrors.Single(m => m.FollowerId == follower);

    private static async Task ShouldHaveCopiedAsync(MirrorTestBot bot, UserId follower, string key, decimal collateral, decimal leverage)
    {
        var intent = (await bot.IntentsAsync(follower)).ShouldHaveSingleItem();
        intent.IdempotencyKey.ShouldBe(key);
        intent.Collateral.ShouldBe(collateral);
        intent.Leverage.ShouldBe(leverage);
        intent.State.ShouldBe(IntentState.Filled);
        intent.PositionId.ShouldNotBeNull();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("The condition never held.");
            }

            await Task.Delay(20);
        }
    }
}

public sealed class SqliteMirrorFlowTests() : MirrorFlowTests(DatabaseProvider.Sqlite);

public sealed class PostgresMirrorFlowTests() : MirrorFlowTests(DatabaseProvider.Postgres);
