using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Swaps;
using Xunit.Abstractions;

namespace VantaBot.IntegrationTests.Evm.Uniswap;

/// <summary>
/// The quoter against the real Uniswap contracts on anvil: each quote is exactly what the router then pays for the
/// same swap in the same state, the best route wins, and a pair without a pool is no quote. Each test reverts the
/// chain to where it started.
/// </summary>
public sealed class UniswapQuoterOnAnvilTests(UniswapDeployment deployment, ITestOutputHelper output) : IClassFixture<UniswapDeployment>, IAsyncLifetime
{
    private readonly UniswapMarket _market = new(deployment);
    private string _snapshot = "";

    public async Task InitializeAsync() => _snapshot = await deployment.Node.SnapshotAsync();

    public async Task DisposeAsync() => (await deployment.Node.RevertAsync(_snapshot)).ShouldBeTrue();

    [Fact]
    public async Task A_V2_quote_is_what_Router02_pays()
    {
        var amountIn = UniswapMarket.Amount(1_000m);
        var quote = (await _market.Quoter(v3: false).QuoteAsync("anvil", _market.Tka, _market.Tkb, amountIn, default)).Quote.ShouldNotBeNull();
        quote.Route.ShouldBe("uniswap-v2");

        var uni = _market.Addresses;
        var approve = await _market.SendAsDeployerAsync(uni.TokenA, UniswapContracts.ApproveCall(uni.V2Router, amountIn.Raw));
        var before = await _market.BalanceOfAsync(uni.TokenB, uni.Deployer);
        var swap = await _market.SendAsDeployerAsync(
            uni.V2Router, UniswapContracts.V2SwapCall(amountIn.Raw, quote.ExpectedOut.Raw, uni.TokenA, uni.TokenB, uni.Deployer, await _market.DeadlineAsync()));

        (await _market.BalanceOfAsync(uni.TokenB, uni.Deployer) - before).ShouldBe(quote.ExpectedOut.Raw);
        // 1,000 into 1,000,000 reserves moves the price by about 0.1% beyond the fee.
        quote.PriceImpactFraction.ShouldBeInRange(0.0009m, 0.0011m);
        quote.GasEstimate.ShouldBeGreaterThanOrEqualTo((long)(approve.GasUsed + swap.GasUsed));
        output.WriteLine($"V2: approve {UniswapMarket.Gas(approve.GasUsed)} gas, swap {UniswapMarket.Gas(swap.GasUsed)} gas; quoted {quote.GasEstimate}");
    }

    [Fact]
    public async Task A_V3_quote_is_what_the_SwapRouter_pays_on_the_pool_that_exists()
    {
        var amountIn = UniswapMarket.Amount(1_000m);
        var quote = (await _market.Quoter(v2: false).QuoteAsync("anvil", _market.Tka, _market.Tkb, amountIn, default)).Quote.ShouldNotBeNull();
        quote.Route.ShouldBe("uniswap-v3/0.3%"); // the 0.05% and 1% tiers have no pool: skipped

        var uni = _market.Addresses;
        var approve = await _market.SendAsDeployerAsync(uni.TokenA, UniswapContracts.ApproveCall(uni.V3SwapRouter, amountIn.Raw));
        var before = await _market.BalanceOfAsync(uni.TokenB, uni.Deployer);
        var swap = await _market.SendAsDeployerAsync(
            uni.V3SwapRouter, UniswapContracts.V3SwapCall(uni.TokenA, uni.TokenB, uni.V3Fee, uni.Deployer, await _market.DeadlineAsync(), amountIn.Raw, quote.ExpectedOut.Raw));

        (await _market.BalanceOfAsync(uni.TokenB, uni.Deployer) - before).ShouldBe(quote.ExpectedOut.Raw);
        quote.PriceImpactFraction.ShouldBeInRange(0.0009m, 0.0021m);
        quote.GasEstimate.ShouldBeGreaterThanOrEqualTo((long)(approve.GasUsed + swap.GasUsed));
        output.WriteLine($"V3: approve {UniswapMarket.Gas(approve.GasUsed)} gas, swap {UniswapMarket.Gas(swap.GasUsed)} gas; quoted {quote.GasEstimate}");
    }

    [Fact]
    public async Task With_both_routers_the_better_one_wins_and_a_bigger_swap_has_a_bigger_impact()
    {
        var quoter = _market.Quoter();
        var v2 = (await _market.Quoter(v3: false).QuoteAsync("anvil", _market.Tka, _market.Tkb, UniswapMarket.Amount(50_000m), default)).Quote!;
        var v3 = (await _market.Quoter(v2: false).QuoteAsync("anvil", _market.Tka, _market.Tkb, UniswapMarket.Amount(50_000m), default)).Quote!;

        var best = (await quoter.QuoteAsync("anvil", _market.Tka, _market.Tkb, UniswapMarket.Amount(50_000m), default)).Quote.ShouldNotBeNull();
        var small = (await quoter.QuoteAsync("anvil", _market.Tka, _market.Tkb, UniswapMarket.Amount(10m), default)).Quote.ShouldNotBeNull();

        best.ExpectedOut.Raw.ShouldBe(BigInteger.Max(v2.ExpectedOut.Raw, v3.ExpectedOut.Raw));
        best.Route.ShouldBe(v2.ExpectedOut.Raw >= v3.ExpectedOut.Raw ? v2.Route : v3.Route);
        best.PriceImpactFraction.ShouldBeGreaterThan(small.PriceImpactFraction);
        best.GasCost.Raw.Sign.ShouldBe(1);
        output.WriteLine($"50,000 TKA: v2 {v2.ExpectedOut} ({v2.PriceImpactFraction:P3}), v3 {v3.ExpectedOut} ({v3.PriceImpactFraction:P3})");
    }

    [Fact]
    public async Task A_pair_with_only_a_V2_pool_quotes_on_V2_and_a_pair_without_pools_is_no_quote()
    {
        var quoter = _market.Quoter();

        var wethForA = (await quoter.QuoteAsync("anvil", _market.Weth, _market.Tka, UniswapMarket.Amount(0.1m), default)).Quote.ShouldNotBeNull();
        wethForA.Route.ShouldBe("uniswap-v2");
        wethForA.ExpectedOut.ToDecimal().ShouldBeInRange(98m, 100m); // 1 ETH = 1,000 TKA, less fee and impact

        var none = await quoter.QuoteAsync("anvil", _market.Weth, _market.Tkb, UniswapMarket.Amount(0.1m), default);
        none.Quote.ShouldBeNull();
        none.Problem.ShouldBe("no Uniswap pool with liquidity for WETH/TKB on anvil (tried uniswap-v2, uniswap-v3/0.05%, uniswap-v3/0.3%, uniswap-v3/1%).");
    }

    [Fact]
    public async Task Balances_are_read_fresh_from_the_chain()
    {
        var uni = _market.Addresses;
        var balances = new RpcWalletTokenBalances(UniswapMarket.Clients(_market.Options()));
        var fresh = EvmAddress.Parse("0x00000000000000000000000000000000000b0b01");

        (await balances.BalanceOfAsync("anvil", uni.Deployer.ToString(), _market.Tka, default)).Raw.ShouldBe(await _market.BalanceOfAsync(uni.TokenA, uni.Deployer));
        (await balances.BalanceOfAsync("anvil", fresh.ToString(), _market.Tka, default)).Raw.IsZero.ShouldBeTrue();

        await _market.SendAsDeployerAsync(uni.TokenA, AbiTransfer(fresh, 7));
        await deployment.Node.RpcAsync("anvil_setBalance", fresh.ToString(), Hex.FromQuantity(123_456));

        (await balances.BalanceOfAsync("anvil", fresh.ToString(), _market.Tka, default)).ShouldBe(new VantaBot.Trading.Swaps.TokenAmount(7, 18));
        (await balances.NativeBalanceAsync("anvil", fresh.ToString(), default)).ShouldBe(new VantaBot.Trading.Swaps.TokenAmount(123_456, 18));
    }

    private static byte[] AbiTransfer(EvmAddress to, BigInteger amount) =>
        VantaBot.Infrastructure.Evm.Abi.AbiFunction.Parse("transfer(address,uint256) returns (bool)").EncodeCall(to, amount);
}
