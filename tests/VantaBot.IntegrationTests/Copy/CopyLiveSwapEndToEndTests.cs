using System.Numerics;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Swaps;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.IntegrationTests.Evm.Swaps;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Copy;

/// <summary>
/// Copy-trading end to end on a local chain: an on-chain wallet swaps on the Uniswap V2 router; the bot's watcher
/// sees it once it is confirmed, and each follower's mirror is their own swap — LIVE on chain for the follower who
/// opted in, on paper for the one still in DRY. The chain is the judge of the LIVE mirror.
/// </summary>
public sealed class CopyLiveSwapEndToEndTests(SwapChainFixture chain) : EmulatorBotTest(DatabaseProvider.Sqlite), IClassFixture<SwapChainFixture>
{
    private const long SuperAdmin = 4140;
    private const long LiveFollower = 4141;
    private const long DryFollower = 4142;

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = chain.Settings(SuperAdmin, v2: true, v3: false);
            settings["Chains:anvil:Confirmations"] = "2";
            settings["Copy:WatchInterval"] = "00:00:00.500";
            return settings;
        }
    }

    [Fact]
    public async Task A_leader_wallets_swap_is_mirrored_live_on_chain_and_on_paper_at_each_followers_size()
    {
        await SwapChat.SwitchToLiveAsync(Telegram, SuperAdmin);
        var live = EvmAddress.Parse(await SwapChat.WalletAsync(Telegram, LiveFollower));
        await chain.FundAsync(live, tokenA: 100m);
        (await SwapChat.SayAsync(Telegram, LiveFollower, "/live on")).ShouldContain("LIVE");
        var dry = EvmAddress.Parse(await SwapChat.WalletAsync(Telegram, DryFollower));
        await chain.FundAsync(dry, tokenA: 100m);

        var leader = chain.Market.Deployer.ToString();
        (await SwapChat.SayAsync(Telegram, LiveFollower, $"/follow {leader} size=50%")).ShouldContain(leader.ToLowerInvariant(), Case.Insensitive);
        (await SwapChat.SayAsync(Telegram, DryFollower, $"/follow {leader} size=20%")).ShouldContain(leader.ToLowerInvariant(), Case.Insensitive);

        // The leader swaps 10 TKA for TKB on the router, from its own wallet, outside the bot. Block times have whole
        // seconds and a follow copies only trades made after it: let the second of the follows pass.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var amount = SwapChainFixture.Wei(10m);
        await chain.SendAsDeployerAsync(chain.Market.TokenA, UniswapContracts.ApproveCall(chain.Market.V2Router, amount));
        await chain.SendAsDeployerAsync(
            chain.Market.V2Router,
            UniswapContracts.V2SwapCall(amount, BigInteger.Zero, chain.Market.TokenA, chain.Market.TokenB, chain.Market.Deployer, BigInteger.Pow(2, 40)));

        // Not before the confirmation depth: nothing is mirrored while the swap is the chain's tip.
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await SwapsOfAsync(LiveFollower)).ShouldBeEmpty();
        // From here the chain keeps producing blocks, as a real one does: the follower's approve and swap each wait
        // for the chain's confirmation depth before the next step.
        using var blocks = new CancellationTokenSource();
        var producer = ProduceBlocksAsync(blocks.Token);

        var liveSwap = await WaitForSettledSwapAsync(LiveFollower);
        liveSwap.State.ShouldBe(IntentState.Filled, liveSwap.FailureReason);
        liveSwap.Mode.ShouldBe(VantaBot.Risk.ExecutionMode.Live);
        liveSwap.AmountIn.Raw.ShouldBe(SwapChainFixture.Wei(5m));
        liveSwap.TransactionHash.ShouldNotBeNull();
        (await chain.BalanceOfAsync(chain.Market.TokenA, live)).ShouldBe(SwapChainFixture.Wei(95m));
        (await chain.BalanceOfAsync(chain.Market.TokenB, live)).ShouldBe(liveSwap.AmountOut!.Value.Raw);
        (await chain.AllowanceAsync(chain.Market.TokenA, live, chain.Market.V2Router)).IsZero.ShouldBeTrue();

        var drySwap = await WaitForSettledSwapAsync(DryFollower);
        drySwap.State.ShouldBe(IntentState.Filled, drySwap.FailureReason);
        drySwap.Mode.ShouldBe(VantaBot.Risk.ExecutionMode.Dry);
        drySwap.AmountIn.Raw.ShouldBe(SwapChainFixture.Wei(2m));
        drySwap.TransactionHash.ShouldBeNull();
        (await chain.BalanceOfAsync(chain.Market.TokenA, dry)).ShouldBe(SwapChainFixture.Wei(100m));

        // More blocks pass and the watcher polls again: the leader's one swap stays one mirror each.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await blocks.CancelAsync();
        await producer;
        (await SwapsOfAsync(LiveFollower)).Count.ShouldBe(1);
        (await SwapsOfAsync(DryFollower)).Count.ShouldBe(1);
    }

    private async Task ProduceBlocksAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await chain.Node.MineAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None);
        }
    }

    private async Task<IReadOnlyList<SwapIntent>> SwapsOfAsync(long user)
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISwapIntentStore>().GetRecentAsync(new UserId(user), 10, default);
    }

    /// <summary>What the copy pipeline holds, for a failure message: the watcher's cursor, the leader trades and the mirrors.</summary>
    private async Task<string> CopyStateAsync()
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
        var cursors = string.Join(", ", db.Set<ChainCursorEntity>().AsEnumerable().Select(c => $"{c.Chain}@{c.BlockNumber}"));
        var trades = string.Join(", ", db.Set<LeaderTradeEntity>().AsEnumerable().Select(t => $"{t.Id}:{t.Kind}:{t.AmountIn}{t.TokenIn} at {t.OccurredAt:O} fanned {t.FannedOutAt:O}"));
        var mirrors = string.Join(", ", db.Set<MirrorEntity>().AsEnumerable().Select(m => $"{m.FollowerId}:{m.State}:{m.Reason}:attempts {m.Attempts} until {m.ClaimedUntil:O}"));
        var follows = string.Join(", ", db.Set<FollowEntity>().AsEnumerable().Select(f => $"{f.FollowerId} since {f.CreatedAt:O}"));
        return $"cursors [{cursors}] trades [{trades}] mirrors [{mirrors}] follows [{follows}]";
    }

    private async Task<SwapIntent> WaitForSettledSwapAsync(long user)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            if ((await SwapsOfAsync(user)).SingleOrDefault() is { State: not (IntentState.Pending or IntentState.Submitted) } done)
            {
                return done;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"no settled mirror swap for {user} within 60 s ({await CopyStateAsync()}):\n" + string.Join('\n', await Telegram.GetConversation()));
            }

            await Task.Delay(200);
        }
    }
}
