using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Swaps;
using VantaBot.Infrastructure.Evm.Transactions;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Evm.Swaps;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Evm.Uniswap;

/// <summary>
/// The LIVE Uniswap venue inside a real bot (real transaction queue, key vault, database) on anvil, driven through the
/// swap path directly: exact approvals leave nothing standing, a price that moves past the minimum between the card
/// and the tap is refused with the router's reason and the hold released, and recovery agrees with the chain.
/// </summary>
public sealed class LiveSwapVenueOnAnvilTests(SwapChainFixture chain) : EmulatorBotTest(DatabaseProvider.Sqlite), IClassFixture<SwapChainFixture>
{
    private const long SuperAdmin = 5050;
    private const long Trader = 5051;

    protected override IDictionary<string, string?> Settings => chain.Settings(SuperAdmin);

    [Theory]
    [InlineData("uniswap-v2")]
    [InlineData("uniswap-v3/0.3%")]
    public async Task A_live_swap_on_each_router_spends_its_exact_approval_and_recovery_reads_the_same_fill(string route)
    {
        var wallet = await LiveTraderAsync(tokenA: 10m);
        var v2 = route == UniswapRoute.V2Name;

        await using var scope = Bot.Services.CreateAsyncScope();
        var swaps = scope.ServiceProvider.GetRequiredService<SwapService>();
        var card = await CardAsync(swaps, wallet, "exact-" + route, 4m);
        var preview = card with { Quote = card.Quote with { Route = route } }; // execute on the router under test
        var swapped = (await swaps.ExecuteAsync(preview, wallet.ToString(), default)).ShouldBeOfType<SwapOutcome.Swapped>();

        var router = v2 ? chain.Market.V2Router : chain.Market.V3SwapRouter;
        (await chain.AllowanceAsync(chain.Market.TokenA, wallet, router)).IsZero.ShouldBeTrue();
        (await chain.BalanceOfAsync(chain.Market.TokenA, wallet)).ShouldBe(SwapChainFixture.Wei(6m));
        (await chain.BalanceOfAsync(chain.Market.TokenB, wallet)).ShouldBe(swapped.AmountOut.Raw);
        swapped.Intent.Route.ShouldBe(route);

        // The queue holds exactly one approval and one swap for the intent, and recovery reads the fill the tap got.
        var sent = await scope.ServiceProvider.GetRequiredService<IEvmTransactionSender>().FindByIntentAsync(swapped.Intent.Id, default);
        sent.Select(t => t.Purpose).ShouldBe([UniswapSwapVenue.ApprovePurpose, UniswapSwapVenue.SwapPurpose]);
        var venue = scope.ServiceProvider.GetServices<ISwapVenue>().Single(v => v.Mode == VantaBot.Risk.ExecutionMode.Live);
        var resolved = (await venue.ResolveAsync(swapped.Intent, default)).ShouldBeOfType<SwapResolution.Filled>();
        resolved.Fill.AmountOut.ShouldBe(swapped.AmountOut);
        resolved.Fill.TransactionHash.ShouldBe(swapped.TransactionHash);
        resolved.Fill.GasPaid.Raw.Sign.ShouldBe(1);
    }

    [Fact]
    public async Task A_price_that_moves_past_the_minimum_after_the_card_is_refused_by_the_router_and_the_hold_released()
    {
        var wallet = await LiveTraderAsync(tokenA: 10m);
        await using var scope = Bot.Services.CreateAsyncScope();
        var swaps = scope.ServiceProvider.GetRequiredService<SwapService>();
        var card = await CardAsync(swaps, wallet, "slipped", 5m);
        card.Quote.Route.ShouldStartWith("uniswap-v");

        // Someone else's large swap on the same pool moves the price far more than the 1% the trader accepts
        // (undone at the end: the class's other tests share this chain).
        var snapshot = await chain.Node.SnapshotAsync();
        try
        {
            await SlippedSwapIsRefusedAsync(swaps, scope.ServiceProvider, wallet, card);
        }
        finally
        {
            (await chain.Node.RevertAsync(snapshot)).ShouldBeTrue();
        }
    }

    private async Task SlippedSwapIsRefusedAsync(SwapService swaps, IServiceProvider services, EvmAddress wallet, SwapPreview card)
    {
        var uni = chain.Market;
        var dump = SwapChainFixture.Wei(100_000m);
        var router = card.Quote.Route == UniswapRoute.V2Name ? uni.V2Router : uni.V3SwapRouter;
        await chain.SendAsDeployerAsync(uni.TokenA, UniswapContracts.ApproveCall(router, dump));
        var deadline = new BigInteger(DateTimeOffset.UtcNow.AddYears(1).ToUnixTimeSeconds());
        await chain.SendAsDeployerAsync(router, card.Quote.Route == UniswapRoute.V2Name
            ? UniswapContracts.V2SwapCall(dump, 0, uni.TokenA, uni.TokenB, uni.Deployer, deadline)
            : UniswapContracts.V3SwapCall(uni.TokenA, uni.TokenB, uni.V3Fee, uni.Deployer, deadline, dump, 0));

        var outcome = await swaps.ExecuteAsync(card, wallet.ToString(), default);

        var refused = outcome.ShouldBeOfType<SwapOutcome.Rejected>();
        refused.Rule.ShouldBe(SwapRejectionCodes.Slippage);
        refused.Reason.ShouldContain(card.Quote.Route == UniswapRoute.V2Name ? "INSUFFICIENT_OUTPUT_AMOUNT" : "Too little received");
        var intent = (await services.GetRequiredService<ISwapIntentStore>().GetRecentAsync(new UserId(Trader), 5, default)).ShouldHaveSingleItem();
        intent.State.ShouldBe(IntentState.Failed);
        (await services.GetRequiredService<ISwapIntentStore>().GetHeldAsync("anvil", wallet.ToString(), card.Quote.TokenIn, default)).Raw.IsZero.ShouldBeTrue();
        (await chain.BalanceOfAsync(uni.TokenA, wallet)).ShouldBe(SwapChainFixture.Wei(10m));
        (await chain.BalanceOfAsync(uni.TokenB, wallet)).IsZero.ShouldBeTrue();
        var sent = await services.GetRequiredService<IEvmTransactionSender>().FindByIntentAsync(intent.Id, default);
        sent.ShouldNotContain(t => t.Purpose == UniswapSwapVenue.SwapPurpose);
    }

    private async Task<EvmAddress> LiveTraderAsync(decimal tokenA)
    {
        await SwapChat.SwitchToLiveAsync(Telegram, SuperAdmin);
        var wallet = EvmAddress.Parse(await SwapChat.WalletAsync(Telegram, Trader));
        await chain.FundAsync(wallet, tokenA);
        (await SwapChat.SayAsync(Telegram, Trader, "/live on")).ShouldContain("LIVE");
        return wallet;
    }

    private static async Task<SwapPreview> CardAsync(SwapService swaps, EvmAddress wallet, string key, decimal amount)
    {
        var order = new SwapOrder(new UserId(Trader), key, "anvil", "TKA", "TKB", amount, 100);
        var preview = await swaps.PreviewAsync(order, wallet.ToString(), default);
        var card = preview.ShouldBeOfType<SwapOutcome.NeedsConfirmation>(preview.Message).Preview;
        card.IsLive.ShouldBeTrue();
        return card;
    }
}
