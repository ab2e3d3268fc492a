using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Evm.Swaps;

/// <summary>
/// A trader swaps for real on a local chain from Telegram: the super-admin switches the deployment to LIVE, the
/// trader creates a wallet, is funded on chain, opts in, and swaps through the card. The chain is the judge: the
/// wallet's token balances move by exactly the recorded amounts and no allowance is left behind.
/// </summary>
public abstract class LiveSwapEndToEndTests(SwapChainFixture chain, bool v2, bool v3, string route)
    : EmulatorBotTest(DatabaseProvider.Sqlite)
{
    private const long SuperAdmin = 4040;
    private const long Trader = 4041;

    protected override IDictionary<string, string?> Settings => chain.Settings(SuperAdmin, v2, v3);

    [Fact]
    public async Task A_trader_swaps_live_from_telegram_and_the_chain_agrees()
    {
        await SwapChat.SwitchToLiveAsync(Telegram, SuperAdmin);
        var wallet = EvmAddress.Parse(await SwapChat.WalletAsync(Telegram, Trader));
        await chain.FundAsync(wallet, tokenA: 100m);
        (await SwapChat.SayAsync(Telegram, Trader, "/wallet")).ShouldContain("anvil: 10 ETH, 100 TKA, 0 TKB, 0 WETH");
        (await SwapChat.SayAsync(Telegram, Trader, "/live on")).ShouldContain("LIVE");

        await Telegram.SendUserCommand(Trader, "/swap 10 TKA TKB slippage=1%");
        var card = (await Telegram.WaitForBotMessages(Trader, 1, TimeSpan.FromSeconds(20))).ShouldHaveSingleItem();
        var text = card.Text ?? "";
        text.ShouldContain("LIVE swap");
        text.ShouldContain("Minimum out");
        text.ShouldContain(route);
        var tap = card.Buttons.Single(b => b.CallbackData!.StartsWith("swapok:", StringComparison.Ordinal)).CallbackData!;
        await Telegram.SendUserCallback(Trader, card.MessageId, tap);

        var swap = await WaitForSwapAsync();
        swap.State.ShouldBe(IntentState.Filled, swap.FailureReason);
        swap.TransactionHash.ShouldNotBeNull();
        swap.Route.ShouldStartWith(route);
        (await chain.BalanceOfAsync(chain.Market.TokenA, wallet)).ShouldBe(SwapChainFixture.Wei(90m));
        (await chain.BalanceOfAsync(chain.Market.TokenB, wallet)).ShouldBe(swap.AmountOut!.Value.Raw);
        swap.AmountOut!.Value.Raw.ShouldBeGreaterThanOrEqualTo(swap.MinimumOut.Raw);

        // Exact approvals: the router spent all it was allowed, nothing standing is left.
        var router = v2 ? chain.Market.V2Router : chain.Market.V3SwapRouter;
        (await chain.AllowanceAsync(chain.Market.TokenA, wallet, router)).IsZero.ShouldBeTrue();
        // The card is edited after the fill is stored (the handler replies once the swap path returns): wait for it.
        (await ConversationWhenAsync(lines => lines.Any(line => line.Contains("✅ Swapped 10 TKA", StringComparison.Ordinal))))
            .ShouldContain(line => line.Contains("✅ Swapped 10 TKA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_dry_mode_the_same_quote_fills_on_paper_and_nothing_moves_on_chain()
    {
        var wallet = EvmAddress.Parse(await SwapChat.WalletAsync(Telegram, Trader));
        await chain.FundAsync(wallet, tokenA: 20m);

        await Telegram.SendUserCommand(Trader, "/swap 10 TKA TKB");
        var card = (await Telegram.WaitForBotMessages(Trader, 1, TimeSpan.FromSeconds(20))).ShouldHaveSingleItem();
        (card.Text ?? "").ShouldContain("DRY swap (paper)");
        await Telegram.SendUserCallback(Trader, card.MessageId, card.Buttons.Single(b => b.CallbackData!.StartsWith("swapok:", StringComparison.Ordinal)).CallbackData!);

        var swap = await WaitForSwapAsync();
        swap.State.ShouldBe(IntentState.Filled, swap.FailureReason);
        swap.TransactionHash.ShouldBeNull();
        swap.AmountOut!.Value.Raw.ShouldBe(swap.ExpectedOut.Raw);
        (await chain.BalanceOfAsync(chain.Market.TokenA, wallet)).ShouldBe(SwapChainFixture.Wei(20m));
        (await chain.BalanceOfAsync(chain.Market.TokenB, wallet)).IsZero.ShouldBeTrue();
    }

    [Fact]
    public async Task A_swap_beyond_the_wallet_is_refused_on_the_card_and_nothing_is_sent()
    {
        await SwapChat.SwitchToLiveAsync(Telegram, SuperAdmin);
        var wallet = EvmAddress.Parse(await SwapChat.WalletAsync(Telegram, Trader));
        await chain.FundAsync(wallet, tokenA: 5m);
        await SwapChat.SayAsync(Telegram, Trader, "/live on");

        var refused = await SwapChat.SayAsync(Telegram, Trader, "/swap 10 TKA TKB");
        refused.ShouldContain("InsufficientFunds");
        refused.ShouldContain("5 TKA");
        (await SwapChat.SayAsync(Telegram, Trader, "/swap 1 TKA DOGE")).ShouldContain("DOGE is not a token on anvil");
        (await SwapChat.SayAsync(Telegram, Trader, "/swap 1 TKA TKB slippage=40%")).ShouldContain("Slippage");
        (await chain.BalanceOfAsync(chain.Market.TokenA, wallet)).ShouldBe(SwapChainFixture.Wei(5m));
    }

    private async Task<SwapIntent> WaitForSwapAsync()
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var scope = Bot.Services.CreateAsyncScope();
            var swaps = await scope.ServiceProvider.GetRequiredService<ISwapIntentStore>().GetRecentAsync(new UserId(Trader), 5, default);
            if (swaps.SingleOrDefault() is { State: not (IntentState.Pending or IntentState.Submitted) } done)
            {
                return done;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("the swap was not settled within 60 s:\n" + string.Join('\n', await Telegram.GetConversation()));
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The conversation once <paramref name="done"/> holds for it, or as it stands after 20 s (assert on it).</summary>
    private async Task<IReadOnlyList<string>> ConversationWhenAsync(Func<IReadOnlyList<string>, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (true)
        {
            var lines = await Telegram.GetConversation();
            if (done(lines) || DateTimeOffset.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(100);
        }
    }
}

public sealed class LiveSwapOnUniswapV2EndToEndTests(SwapChainFixture chain)
    : LiveSwapEndToEndTests(chain, v2: true, v3: false, route: "uniswap-v2"), IClassFixture<SwapChainFixture>;

public sealed class LiveSwapOnUniswapV3EndToEndTests(SwapChainFixture chain)
    : LiveSwapEndToEndTests(chain, v2: false, v3: true, route: "uniswap-v3"), IClassFixture<SwapChainFixture>;
