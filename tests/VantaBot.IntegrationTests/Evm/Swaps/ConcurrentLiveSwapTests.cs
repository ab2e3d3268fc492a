using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;
using Xunit.Abstractions;

namespace VantaBot.IntegrationTests.Evm.Swaps;

/// <summary>
/// 50 LIVE swaps placed at once from one wallet on PostgreSQL, with the chain's first RPC endpoint dead: every swap
/// settles, each transaction has its own nonce with none skipped or reused, and the chain's balances are exactly
/// the sum of what the database recorded.
/// </summary>
public sealed class ConcurrentLiveSwapTests(SwapChainFixture chain, ITestOutputHelper output)
    : EmulatorBotTest(DatabaseProvider.Postgres), IClassFixture<SwapChainFixture>
{
    private const long SuperAdmin = 6060;
    private const long Trader = 6061;
    private const int Swaps = 50;

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = chain.Settings(SuperAdmin, v2: true, v3: true);
            // Nothing listens on port 9: every call to the first endpoint fails and the second one serves.
            settings["Chains:anvil:RpcUrls:0"] = "http://127.0.0.1:9";
            settings["Chains:anvil:RpcUrls:1"] = chain.Node.Url;
            settings["Chains:anvil:RequestTimeout"] = "00:00:02";
            settings["Limits:TradesPerDay"] = "1000";
            return settings;
        }
    }

    [Fact]
    public async Task Fifty_concurrent_swaps_from_one_wallet_all_settle_with_contiguous_nonces()
    {
        await SwapChat.SwitchToLiveAsync(Telegram, SuperAdmin);
        var wallet = await SwapChat.WalletAsync(Telegram, Trader);
        await chain.FundAsync(EvmAddress.Parse(wallet), tokenA: 100m, eth: 100m);
        (await SwapChat.SayAsync(Telegram, Trader, "/live on")).ShouldContain("LIVE");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Swaps).Select(i => SwapAsync(wallet, i)));
        var failed = outcomes.Where(o => o is not SwapOutcome.Swapped).Select(o => $"{o.GetType().Name}: {o.Message}").ToList();
        failed.ShouldBeEmpty(string.Join('\n', failed));
        var swapped = outcomes.Cast<SwapOutcome.Swapped>().ToList();

        // The chain is the judge: every input left the wallet once, and exactly what was recorded arrived.
        (await chain.BalanceOfAsync(chain.Market.TokenA, EvmAddress.Parse(wallet))).ShouldBe(SwapChainFixture.Wei(100m - Swaps));
        var received = swapped.Aggregate(BigInteger.Zero, (sum, s) => sum + s.AmountOut.Raw);
        (await chain.BalanceOfAsync(chain.Market.TokenB, EvmAddress.Parse(wallet))).ShouldBe(received);
        (await chain.AllowanceAsync(chain.Market.TokenA, EvmAddress.Parse(wallet), chain.Market.V2Router)).IsZero.ShouldBeTrue();
        (await chain.AllowanceAsync(chain.Market.TokenA, EvmAddress.Parse(wallet), chain.Market.V3SwapRouter)).IsZero.ShouldBeTrue();

        // One nonce per transaction: the swaps' own nonces are distinct, and every nonce the wallet used was mined.
        var swapNonces = new List<BigInteger>();
        foreach (var swap in swapped)
        {
            var transaction = await chain.Node.RpcAsync("eth_getTransactionByHash", swap.TransactionHash!);
            swapNonces.Add(Hex.ToQuantity(transaction.GetProperty("nonce").GetString()!));
            var receipt = await chain.Node.ReceiptAsync(swap.TransactionHash!);
            receipt.GetProperty("status").GetString().ShouldBe("0x1");
        }

        swapNonces.Distinct().Count().ShouldBe(Swaps);
        var latest = Hex.ToQuantity((await chain.Node.RpcAsync("eth_getTransactionCount", wallet, "latest")).GetString()!);
        var pending = Hex.ToQuantity((await chain.Node.RpcAsync("eth_getTransactionCount", wallet, "pending")).GetString()!);
        pending.ShouldBe(latest, "nothing of the wallet is left waiting in the mempool");
        swapNonces.Max().ShouldBeLessThan(latest);
        output.WriteLine($"{Swaps} swaps, {latest} transactions (swaps and exact approvals), nonces 0..{latest - 1}");

        await using var scope = Bot.Services.CreateAsyncScope();
        var intents = await scope.ServiceProvider.GetRequiredService<ISwapIntentStore>().GetRecentAsync(new UserId(Trader), Swaps + 10, default);
        intents.Count.ShouldBe(Swaps);
        intents.ShouldAllBe(i => i.State == IntentState.Filled);
    }

    private async Task<SwapOutcome> SwapAsync(string wallet, int index)
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        var swaps = scope.ServiceProvider.GetRequiredService<SwapService>();
        var order = new SwapOrder(new UserId(Trader), "burst-" + index.ToString(CultureInfo.InvariantCulture), "anvil", "TKA", "TKB", 1m, 300);
        var preview = await swaps.PreviewAsync(order, wallet, default);
        if (preview is not SwapOutcome.NeedsConfirmation { Preview: var card })
        {
            return preview;
        }

        return await swaps.ExecuteAsync(card, wallet, default);
    }
}
