using VantaBot.Infrastructure.Evm.Copy;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Evm;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Copy;

namespace VantaBot.IntegrationTests.Copy;

/// <summary>
/// The EVM leader watcher against a real anvil with the Uniswap V2/V3 market and a real database: what it records,
/// when (only at the confirmation depth), and what survives restarts and reorgs. Each test uses its own dev accounts
/// as leaders, so the tests of a class share the chain without seeing each other's swaps as their own.
/// </summary>
public abstract class EvmLeaderWatcherTests(DatabaseProvider provider, UniswapDeployment market) : IAsyncLifetime
{
    private readonly LeaderChain _chain = new(market);
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_leaders_V2_and_V3_swaps_are_recorded_once_with_their_tokens_and_amounts_after_the_depth_and_not_before()
    {
        await using var watcher = LeaderWatchHarness.Start(_database, market, confirmations: 2);
        var leader = await _chain.FundedAccountAsync(1);
        await CopyTables.FollowAsync(_database, 4001, leader);
        await CopyTables.FollowAsync(_database, 4002, leader);
        var start = await watcher.PollAsync();
        start.Cursor.ShouldBe(await _chain.HeadAsync() - 1);

        var v2 = await _chain.SwapV2Async(leader, 10m);
        (await watcher.PollAsync()).Recorded.ShouldBe(0, "the swap's block has 1 of 2 confirmations");
        (await CopyTables.SwapsAsync(_database)).ShouldBeEmpty();

        var v3 = await _chain.SwapV3Async(leader, 20m);
        (await watcher.PollAsync()).Recorded.ShouldBe(1, "the V2 swap's block now has 2 confirmations, the V3 one's 1");
        await _chain.Node.MineAsync();
        (await watcher.PollAsync()).Recorded.ShouldBe(1);
        (await watcher.PollAsync()).Recorded.ShouldBe(0);

        v2.AmountOut.ShouldBeGreaterThan(0m);
        v3.AmountOut.ShouldBeGreaterThan(0m);
        (await CopyTables.SwapsAsync(_database)).ShouldBe([await ExpectedAsync(leader, v2), await ExpectedAsync(leader, v3)]);
        (await CopyTables.CursorAsync(_database))!.BlockNumber.ShouldBe(await _chain.HeadAsync() - 1);
    }

    [Fact]
    public async Task Swaps_of_an_unfollowed_address_and_a_leaders_swap_on_a_contract_that_is_not_a_router_are_not_recorded()
    {
        await using var watcher = LeaderWatchHarness.Start(_database, market, confirmations: 2);
        var leader = await _chain.FundedAccountAsync(2);
        var stranger = await _chain.FundedAccountAsync(3);
        await CopyTables.FollowAsync(_database, 4003, leader);
        await watcher.PollAsync();

        var unfollowed = await _chain.SwapV2Async(stranger, 5m);
        var onPair = await _chain.SwapOnPairAsync(leader, 10m, 1m);
        var routed = await _chain.SwapV2Async(leader, 3m);
        await _chain.Node.MineAsync();
        (await watcher.PollAsync()).Recorded.ShouldBe(1);

        (await CopyTables.SwapsAsync(_database)).ShouldBe([await ExpectedAsync(leader, routed)]);
        var payment = EvmHash.Parse(onPair[0]).Hex;
        watcher.Logs.Lines.ShouldContain(l => l.Text.Contains(payment, StringComparison.Ordinal) && l.Text.Contains("not to a configured router", StringComparison.Ordinal));
        watcher.Logs.Lines.ShouldNotContain(l => l.Text.Contains(EvmHash.Parse(unfollowed.Hash).Hex, StringComparison.Ordinal), "the stranger's swap is not even fetched");
    }

    [Fact]
    public async Task A_new_watcher_on_the_same_database_records_exactly_the_swaps_made_while_none_ran_and_a_re_read_repeats_none()
    {
        var leader = await _chain.FundedAccountAsync(4);
        await CopyTables.FollowAsync(_database, 4004, leader);
        SentSwap first;
        ChainCursor started;
        await using (var before = LeaderWatchHarness.Start(_database, market, confirmations: 2))
        {
            await before.PollAsync();
            started = (await CopyTables.CursorAsync(_database))!;
            first = await _chain.SwapV2Async(leader, 4m);
            await _chain.Node.MineAsync();
            (await before.PollAsync()).Recorded.ShouldBe(1);
        }

        var second = await _chain.SwapV3Async(leader, 5m);
        var third = await _chain.SwapV2Async(leader, 6m);
        await _chain.Node.MineAsync();

        await using var after = LeaderWatchHarness.Start(_database, market, confirmations: 2, batchBlocks: 1); // one block per range: several ranges in one poll
        (await after.PollAsync()).Recorded.ShouldBe(2);
        var all = await CopyTables.SwapsAsync(_database);
        all.ShouldBe([await ExpectedAsync(leader, first), await ExpectedAsync(leader, second), await ExpectedAsync(leader, third)]);

        // A crash after recording and before moving the cursor leaves the cursor behind: the range is read again.
        await CopyTables.SetCursorAsync(_database, started);
        var reread = await after.PollAsync();
        reread.Recorded.ShouldBe(0);
        reread.Cursor.ShouldBe(await _chain.HeadAsync() - 1);
        (await CopyTables.SwapsAsync(_database)).ShouldBe(all);
    }

    [Fact]
    public async Task A_swap_reorganised_away_before_the_depth_is_never_recorded_and_the_replacing_chains_swap_is()
    {
        await using var watcher = LeaderWatchHarness.Start(_database, market, confirmations: 2);
        var leader = await _chain.FundedAccountAsync(5);
        await CopyTables.FollowAsync(_database, 4005, leader);
        await watcher.PollAsync();

        var snapshot = await _chain.Node.SnapshotAsync();
        var dropped = await _chain.SwapV2Async(leader, 5m);
        (await watcher.PollAsync()).Recorded.ShouldBe(0);
        (await _chain.Node.RevertAsync(snapshot)).ShouldBeTrue();
        var replacement = await _chain.SwapV3Async(leader, 7m);
        replacement.Block.ShouldBe(dropped.Block, "the replacing chain has another block at the same height");
        await _chain.Node.MineAsync();

        (await watcher.PollAsync()).Recorded.ShouldBe(1);
        (await CopyTables.SwapsAsync(_database)).ShouldBe([await ExpectedAsync(leader, replacement)]);
        watcher.Logs.Warnings.ShouldBeEmpty("a reorg above the depth is invisible to the watcher");
    }

    [Fact]
    public async Task With_anvil_reorg_a_swap_replaced_before_the_depth_is_never_recorded_its_replacement_is_and_a_deeper_reorg_is_walked_back()
    {
        await using var watcher = LeaderWatchHarness.Start(_database, market, confirmations: 2);
        var leader = await _chain.FundedAccountAsync(8);
        await CopyTables.FollowAsync(_database, 4008, leader);
        await _chain.Node.MineAsync(3); // room below the swaps, so the deep reorg drops no funding transaction
        await watcher.PollAsync();
        var before = await _chain.BalanceAsync(_chain.Market.TokenB, leader);

        var dropped = await _chain.SwapV2Async(leader, 3m);
        (await watcher.PollAsync()).Recorded.ShouldBe(0);
        var shallow = await _chain.ReorgWithSwapAsync(1, leader, 4m, v3: true);
        shallow.Block.ShouldBe(dropped.Block);
        var shallowOut = LeaderChain.Units(await _chain.BalanceAsync(_chain.Market.TokenB, leader) - before);
        await _chain.Node.MineAsync();
        (await watcher.PollAsync()).Recorded.ShouldBe(1);
        var shallowSwap = await ExpectedAsync(leader, new SentSwap(shallow.Hash, shallow.Block, 4m, shallowOut));
        (await CopyTables.SwapsAsync(_database)).ShouldBe([shallowSwap]);
        watcher.Logs.Warnings.ShouldBeEmpty();

        // The cursor sits on the block holding the recorded swap; a reorg of 3 replaces it and its neighbours.
        var deep = await _chain.ReorgWithSwapAsync(3, leader, 2m, v3: false);
        var deepOut = LeaderChain.Units(await _chain.BalanceAsync(_chain.Market.TokenB, leader) - before);
        var poll = await watcher.PollAsync();
        poll.WalkedBackBlocks.ShouldNotBeNull();
        poll.Recorded.ShouldBe(1);
        watcher.Logs.Warnings.ShouldHaveSingleItem().ShouldContain("a reorg of at least 2 blocks, deeper than the confirmation depth of 2");
        (await CopyTables.SwapsAsync(_database)).ShouldBe(
            [shallowSwap, await ExpectedAsync(leader, new SentSwap(deep.Hash, deep.Block, 2m, deepOut))]);
    }

    [Fact]
    public async Task A_reorg_deeper_than_the_depth_is_detected_the_cursor_walks_back_with_a_warning_and_the_new_chain_is_scanned()
    {
        await using var watcher = LeaderWatchHarness.Start(_database, market, confirmations: 2);
        var leader = await _chain.FundedAccountAsync(6);
        await CopyTables.FollowAsync(_database, 4006, leader);
        var start = await watcher.PollAsync();

        var snapshot = await _chain.Node.SnapshotAsync();
        var orphaned = await _chain.SwapV2Async(leader, 6m);
        await _chain.Node.MineAsync();
        (await watcher.PollAsync()).Recorded.ShouldBe(1);
        var stale = (await CopyTables.CursorAsync(_database))!;
        stale.BlockNumber.ShouldBe(orphaned.Block);

        (await _chain.Node.RevertAsync(snapshot)).ShouldBeTrue();
        var kept = await _chain.SwapV2Async(leader, 8m);
        await _chain.Node.MineAsync(3);
        var poll = await watcher.PollAsync();

        poll.WalkedBackBlocks.ShouldBe((int)(orphaned.Block - start.Cursor!.Value), "back to the newest remembered block still on the chain");
        poll.Recorded.ShouldBe(1);
        var warning = watcher.Logs.Warnings.ShouldHaveSingleItem();
        warning.ShouldContain($"block {orphaned.Block} under the copy cursor was reorganised");
        warning.ShouldContain("deeper than the confirmation depth of 2");
        warning.ShouldContain("cannot be un-mirrored");
        (await CopyTables.SwapsAsync(_database)).ShouldBe(
            [await ExpectedAsync(leader, orphaned, orphanedBlockTime: true), await ExpectedAsync(leader, kept)],
            "what was recorded from the dropped block stays recorded (it may have been mirrored)");
        var cursor = (await CopyTables.CursorAsync(_database))!;
        cursor.BlockNumber.ShouldBe(await _chain.HeadAsync() - 1);
        cursor.BlockHash.ShouldNotBe(stale.BlockHash);
    }

    [Fact]
    public async Task After_a_restart_a_deep_reorg_rewinds_by_the_configured_bound_since_no_earlier_hash_is_remembered()
    {
        var leader = await _chain.FundedAccountAsync(7);
        await CopyTables.FollowAsync(_database, 4007, leader);
        await using (var before = LeaderWatchHarness.Start(_database, market, confirmations: 2))
        {
            await before.PollAsync();
        }

        await using var watcher = LeaderWatchHarness.Start(_database, market, confirmations: 2, maxReorgDepth: 8);
        var snapshot = await _chain.Node.SnapshotAsync();
        var orphaned = await _chain.SwapV3Async(leader, 2m);
        await _chain.Node.MineAsync();
        (await watcher.PollAsync()).Recorded.ShouldBe(1);

        (await _chain.Node.RevertAsync(snapshot)).ShouldBeTrue();
        var kept = await _chain.SwapV2Async(leader, 3m);
        await _chain.Node.MineAsync(2);
        var poll = await watcher.PollAsync();

        poll.WalkedBackBlocks.ShouldBe(8);
        poll.Recorded.ShouldBe(1);
        watcher.Logs.Warnings.ShouldHaveSingleItem().ShouldContain("no remembered block matched; rewound Copy__WatchMaxReorgDepth=8");
        (await CopyTables.SwapsAsync(_database)).Select(s => s.TransactionHash).ShouldBe([EvmHash.Parse(orphaned.Hash).Hex, EvmHash.Parse(kept.Hash).Hex]);
    }

    [Fact]
    public async Task The_hosted_poller_records_swaps_on_its_own_and_after_its_node_was_away_it_catches_up_from_the_cursor()
    {
        await using var proxy = SwitchableRpcProxy.Start(market.Node.Url);
        await using var watcher = LeaderWatchHarness.Start(_database, market, confirmations: 2, extraSettings: new Dictionary<string, string?>
        {
            [$"Chains:{LeaderWatchHarness.Chain}:RpcUrls:0"] = proxy.Url,
            [$"Chains:{LeaderWatchHarness.Chain}:BreakDuration"] = "00:00:00.5",
            ["Copy:WatchInterval"] = "00:00:00.1",
        });
        var leader = await _chain.FundedAccountAsync(9);
        await CopyTables.FollowAsync(_database, 4009, leader);
        await watcher.Poller.StartAsync(CancellationToken.None);
        try
        {
            // The first poll starts the cursor at the safe block: a swap before it is history, not replayed.
            await EventuallyAsync(async () => await CopyTables.CursorAsync(_database) is not null, "the poller's first poll");
            var first = await _chain.SwapV2Async(leader, 2m);
            await _chain.Node.MineAsync();
            await EventuallyAsync(async () => (await CopyTables.SwapsAsync(_database)).Count == 1, "the poller records the first swap");

            proxy.Down = true;
            await EventuallyAsync(
                () => Task.FromResult(watcher.Logs.Warnings.Any(w => w.Contains("leader watch poll on anvil failed, retried next poll", StringComparison.Ordinal))),
                "a failed poll is logged");
            var whileAway = await _chain.SwapV3Async(leader, 3m);
            await _chain.Node.MineAsync();
            proxy.Refused.ShouldBeGreaterThan(0);
            (await CopyTables.SwapsAsync(_database)).Count.ShouldBe(1);

            proxy.Down = false;
            await EventuallyAsync(async () => (await CopyTables.SwapsAsync(_database)).Count == 2, "the poller catches up once the node is back");
            (await CopyTables.SwapsAsync(_database)).ShouldBe([await ExpectedAsync(leader, first), await ExpectedAsync(leader, whileAway)]);
        }
        finally
        {
            await watcher.Poller.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails (not times) the test when it never does.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"never happened: {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The record a swap should produce, built from the chain (block time) and the balances the swap moved.</summary>
    private async Task<LeaderTrade.Swap> ExpectedAsync(EvmAddress leader, SentSwap swap, bool orphanedBlockTime = false)
    {
        var hash = EvmHash.Parse(swap.Hash).Hex;
        var time = orphanedBlockTime
            ? (await CopyTables.SwapsAsync(_database)).Single(s => s.TransactionHash == hash).OccurredAt // its block is gone from the chain
            : await _chain.BlockTimeAsync(swap.Block);
        return new LeaderTrade.Swap(
            $"evm:anvil:{hash}", LeaderRef.Evm(leader.ToString()), time, LeaderWatchHarness.Chain, "TKA", "TKB", swap.AmountIn, swap.AmountOut, hash, swap.Block);
    }
}

public sealed class SqliteEvmLeaderWatcherTests(UniswapDeployment market) : EvmLeaderWatcherTests(DatabaseProvider.Sqlite, market), IClassFixture<UniswapDeployment>;

public sealed class PostgresEvmLeaderWatcherTests(UniswapDeployment market) : EvmLeaderWatcherTests(DatabaseProvider.Postgres, market), IClassFixture<UniswapDeployment>;
