using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Swaps;
using VantaBot.Trading.Swaps;

namespace VantaBot.UnitTests.Evm.Swaps;

/// <summary>Route choice over V2 and the V3 fee tiers, pools that do not exist, the gas figure.</summary>
public sealed class UniswapQuoterTests
{
    private static readonly SwapToken Tka = new("TKA", TestChain.TokenA.ToString(), 18);
    private static readonly SwapToken Tkb = new("TKB", TestChain.TokenB.ToString(), 18);
    private static readonly BigInteger Q96 = BigInteger.Pow(2, 96);
    private readonly ScriptedRpcClient _rpc = new();

    public UniswapQuoterTests()
    {
        // Reserves 1M/1M on V2 and a price-1 pool on V3, for the price impact of whichever route wins.
        _rpc.OnCall(TestChain.V2Router, UniswapContracts.V2Factory, _ => [TestChain.V2Factory]);
        _rpc.OnCall(TestChain.V2Factory, UniswapContracts.V2GetPair, _ => [TestChain.V2Pair]);
        _rpc.OnCall(TestChain.V2Pair, UniswapContracts.V2GetReserves, _ => [Wei(1_000_000), Wei(1_000_000), BigInteger.One]);
        _rpc.OnCall(TestChain.V2Pair, UniswapContracts.V2Token0, _ => [TestChain.TokenA]);
        _rpc.OnCall(TestChain.V3Quoter, UniswapContracts.V3Factory, _ => [TestChain.V3Factory]);
        _rpc.OnCall(TestChain.V3Factory, UniswapContracts.V3GetPool, _ => [TestChain.V3Pool]);
        _rpc.OnCall(TestChain.V3Pool, UniswapContracts.V3Slot0, _ => [Q96, BigInteger.Zero, BigInteger.Zero, BigInteger.One, BigInteger.One, BigInteger.Zero, true]);
    }

    [Fact]
    public async Task The_route_paying_the_most_wins_and_missing_tiers_are_skipped()
    {
        V2Pays(Wei(9.96m));
        V3Pays(new Dictionary<int, BigInteger> { [3000] = Wei(9.97m), [10000] = Wei(9.5m) }); // no 0.05% pool: it reverts

        var quote = (await Quoter().QuoteAsync("anvil", Tka, Tkb, Amount(10m), default)).Quote.ShouldNotBeNull();

        quote.Route.ShouldBe("uniswap-v3/0.3%");
        quote.ExpectedOut.Raw.ShouldBe(Wei(9.97m));
        quote.ExpectedOut.Decimals.ShouldBe(18);
        quote.PriceImpactFraction.ShouldBe(0m); // 9.97 for 10 at price 1 is exactly the fee
        quote.GasEstimate.ShouldBe(80_000 + UniswapQuoter.V3RouterOverheadGas + UniswapQuoter.ApproveGas);
        quote.GasCost.Raw.ShouldBe(quote.GasEstimate * (_rpc.BaseFee + _rpc.Tip));
        quote.NativeSymbol.ShouldBe("ETH");
    }

    [Fact]
    public async Task V2_wins_when_it_pays_more_with_its_impact_from_the_reserves()
    {
        var paid = Wei(10m) * 997 * Wei(1_000_000) / ((Wei(1_000_000) * 1000) + (Wei(10m) * 997));
        V2Pays(paid);
        V3Pays(new Dictionary<int, BigInteger> { [3000] = paid - 1 });

        var quote = (await Quoter().QuoteAsync("anvil", Tka, Tkb, Amount(10m), default)).Quote.ShouldNotBeNull();

        quote.Route.ShouldBe("uniswap-v2");
        quote.PriceImpactFraction.ShouldBeInRange(0.0000099m, 0.0000101m); // 10 of 1M reserves
        quote.GasEstimate.ShouldBe(UniswapQuoter.V2SwapGas + UniswapQuoter.ApproveGas);
    }

    [Fact]
    public async Task Only_the_configured_fee_tiers_are_asked()
    {
        V3Pays(new Dictionary<int, BigInteger> { [500] = Wei(9.99m), [3000] = Wei(9.97m) });

        var quote = (await Quoter(v2: false, fees: "3000").QuoteAsync("anvil", Tka, Tkb, Amount(10m), default)).Quote.ShouldNotBeNull();

        quote.Route.ShouldBe("uniswap-v3/0.3%");
        _rpc.Calls.Count(c => c.To == TestChain.V2Router).ShouldBe(0);
    }

    [Fact]
    public async Task A_pair_without_any_pool_is_no_quote_with_the_routes_tried()
    {
        _rpc.RevertCall(TestChain.V2Router, UniswapContracts.V2GetAmountsOut, "");
        V3Pays([]);

        var result = await Quoter().QuoteAsync("anvil", Tka, Tkb, Amount(10m), default);

        result.Quote.ShouldBeNull();
        result.Problem.ShouldBe("no Uniswap pool with liquidity for TKA/TKB on anvil (tried uniswap-v2, uniswap-v3/0.05%, uniswap-v3/0.3%, uniswap-v3/1%).");
    }

    [Fact]
    public async Task An_unknown_chain_is_no_quote() =>
        (await Quoter().QuoteAsync("base", Tka, Tkb, Amount(1m), default)).Problem.ShouldBe("'base' is not a configured chain.");

    private void V2Pays(BigInteger amountOut) =>
        _rpc.OnCall(TestChain.V2Router, UniswapContracts.V2GetAmountsOut, args => [new object?[] { args[0], amountOut }]);

    /// <summary>QuoterV2 pays per fee tier; a tier without a pool reverts (an empty revert, as QuoterV2 does).</summary>
    private void V3Pays(Dictionary<int, BigInteger> byFee) =>
        _rpc.OnCall(TestChain.V3Quoter, UniswapContracts.V3QuoteExactInputSingle, args =>
        {
            var fee = (int)(BigInteger)((object?[])args[0]!)[3]!;
            return byFee.TryGetValue(fee, out var paid)
                ? [paid, Q96, BigInteger.Zero, new BigInteger(80_000)]
                : throw new VantaBot.Infrastructure.Evm.Rpc.EvmRpcException("anvil", "eth_call", 3, "execution reverted", []);
        });

    private UniswapQuoter Quoter(bool v2 = true, string? fees = null) =>
        new(Options.Create(TestChain.Options(v2: v2, fees: fees)), new SingleChainClients(_rpc), TimeProvider.System, NullLogger<UniswapQuoter>.Instance);

    private static TokenAmount Amount(decimal value)
    {
        TokenAmount.TryFromDecimal(value, 18, out var amount, out _).ShouldBeTrue();
        return amount;
    }

    private static BigInteger Wei(decimal value) => new(value * 1_000_000_000_000_000_000m);
}
