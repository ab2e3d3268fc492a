using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Evm.Swaps;
using VantaBot.Trading.Swaps;

namespace VantaBot.UnitTests.Evm.Swaps;

/// <summary>Route names, call data against the published selectors, price impact and receipt reading.</summary>
public sealed class UniswapEncodingTests
{
    [Theory]
    [InlineData(3000, "uniswap-v3/0.3%")]
    [InlineData(500, "uniswap-v3/0.05%")]
    [InlineData(10000, "uniswap-v3/1%")]
    [InlineData(100, "uniswap-v3/0.01%")]
    public void V3_routes_are_named_by_their_fee_tier_and_parse_back(int fee, string name)
    {
        UniswapRoute.V3(fee).Name.ShouldBe(name);
        UniswapRoute.TryParse(name, out var route).ShouldBeTrue();
        route.ShouldBe(UniswapRoute.V3(fee));
    }

    [Theory]
    [InlineData("uniswap-v3/0.3")]
    [InlineData("uniswap-v3/0.30%")]
    [InlineData("uniswap-v3/0.00001%")]
    [InlineData("uniswap-v3/100%")]
    [InlineData("uniswap-v4")]
    [InlineData("")]
    public void Anything_else_is_not_a_route(string name) => UniswapRoute.TryParse(name, out _).ShouldBeFalse();

    [Fact]
    public void V2_is_one_route_named_uniswap_v2()
    {
        UniswapRoute.V2.Name.ShouldBe("uniswap-v2");
        UniswapRoute.TryParse("uniswap-v2", out var route).ShouldBeTrue();
        route!.Version.ShouldBe(UniswapVersion.V2);
    }

    [Fact]
    public void Selectors_match_the_published_ones()
    {
        UniswapContracts.Approve.SelectorHex.ShouldBe("0x095ea7b3");
        UniswapContracts.V2GetAmountsOut.SelectorHex.ShouldBe("0xd06ca61f");
        UniswapContracts.V2SwapExactTokensForTokens.SelectorHex.ShouldBe("0x38ed1739");
        UniswapContracts.V3ExactInputSingle.SelectorHex.ShouldBe("0x414bf389");
        UniswapContracts.V3QuoteExactInputSingle.SelectorHex.ShouldBe("0xc6a5026a");
        UniswapContracts.Transfer.Topic0Hex.ShouldBe("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
    }

    [Fact]
    public void The_V2_swap_carries_the_minimum_out_the_direct_path_the_wallet_and_the_deadline()
    {
        var wallet = EvmAddress.Parse("0xabc0000000000000000000000000000000000001");
        var data = UniswapContracts.V2SwapCall(10, 9, TestChain.TokenA, TestChain.TokenB, wallet, 1_800_000_300);

        var args = UniswapContracts.V2SwapExactTokensForTokens.DecodeCall(data);
        args[0].ShouldBe(new BigInteger(10));
        args[1].ShouldBe(new BigInteger(9));
        ((object?[])args[2]!).ShouldBe([TestChain.TokenA, TestChain.TokenB]);
        args[3].ShouldBe(wallet);
        args[4].ShouldBe(new BigInteger(1_800_000_300));
    }

    [Fact]
    public void The_V3_swap_struct_has_the_fee_the_deadline_the_minimum_and_no_price_limit()
    {
        var wallet = EvmAddress.Parse("0xabc0000000000000000000000000000000000001");
        var data = UniswapContracts.V3SwapCall(TestChain.TokenA, TestChain.TokenB, 3000, wallet, 1_800_000_300, 10, 9);

        data.Length.ShouldBe(4 + (8 * 32)); // a static struct: eight words, no offsets
        var fields = (object?[])UniswapContracts.V3ExactInputSingle.DecodeCall(data)[0]!;
        fields.ShouldBe([TestChain.TokenA, TestChain.TokenB, new BigInteger(3000), wallet, new BigInteger(1_800_000_300), new BigInteger(10), new BigInteger(9), BigInteger.Zero]);
    }

    [Fact]
    public void The_approval_is_for_exactly_the_amount()
    {
        var args = UniswapContracts.Approve.DecodeCall(UniswapContracts.ApproveCall(TestChain.V2Router, 12_345));

        args.ShouldBe([TestChain.V2Router, new BigInteger(12_345)]);
    }

    [Fact]
    public void V2_price_impact_is_the_share_lost_to_size_beyond_the_fee()
    {
        // 1,000 in against 1,000,000/1,000,000 reserves (18 decimals): out = in·997·rOut / (rIn·1000 + in·997)
        var e18 = BigInteger.Pow(10, 18);
        BigInteger rIn = 1_000_000 * e18, rOut = 1_000_000 * e18, amountIn = 1_000 * e18;
        var amountOut = amountIn * 997 * rOut / ((rIn * 1000) + (amountIn * 997));

        var impact = PriceImpact.FromReserves(amountIn, amountOut, rIn, rOut, 3000);

        // exactly in·997 / (rIn·1000 + in·997) = 0.000996007…
        impact.ShouldBeInRange(0.000996m, 0.000997m);
        PriceImpact.FromReserves(1, 0, 1_000_000, 1_000_000, 3000).ShouldBe(1m);
    }

    [Fact]
    public void V3_price_impact_reads_the_mid_price_in_the_swap_direction()
    {
        var q96 = BigInteger.Pow(2, 96);

        // Price 1 (sqrtPriceX96 = 2^96) and a 0.3% pool: 1,000 in paying 997 out is no impact at all, either way.
        PriceImpact.FromSqrtPrice(1_000, 997, q96, zeroForOne: true, 3000).ShouldBe(0m);
        PriceImpact.FromSqrtPrice(1_000, 997, q96, zeroForOne: false, 3000).ShouldBe(0m);

        // Price 4 token1 per token0 (sqrt 2): token0 in should buy 4×, token1 in ¼ — half of that is a 50% impact.
        PriceImpact.FromSqrtPrice(1_000_000, 1_994_000, q96 * 2, zeroForOne: true, 3000).ShouldBe(0.5m);
        PriceImpact.FromSqrtPrice(1_000_000, 124_625, q96 * 2, zeroForOne: false, 3000).ShouldBe(0.5m);
    }

    [Fact]
    public void The_amount_out_is_the_token_out_transfers_to_the_wallet()
    {
        var wallet = EvmAddress.Parse("0xabc0000000000000000000000000000000000001");
        var receipt = Receipt(
            TransferLog(TestChain.TokenA, wallet, TestChain.V2Pair, 10),
            TransferLog(TestChain.TokenB, TestChain.V2Pair, wallet, 9),
            TransferLog(TestChain.TokenB, TestChain.V2Pair, TestChain.V3Pool, 1_000));

        SwapReceipts.AmountReceived(receipt, TestChain.TokenB, wallet).ShouldBe(new BigInteger(9));
        SwapReceipts.AmountReceived(Receipt(), TestChain.TokenB, wallet).ShouldBeNull();
        SwapReceipts.GasPaid(receipt).ShouldBe(new BigInteger(100_000) * 3);
    }

    [Theory]
    [InlineData("UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT", SwapRejectionCodes.Slippage)]
    [InlineData("Too little received", SwapRejectionCodes.Slippage)]
    [InlineData("TransferHelper: TRANSFER_FROM_FAILED", UniswapSwapVenue.RevertedCode)]
    public void Router_slippage_reverts_are_slippage_rejections(string reason, string code) =>
        SwapReceipts.RejectionCode(reason).ShouldBe(code);

    internal static EvmLog TransferLog(EvmAddress token, EvmAddress from, EvmAddress to, BigInteger value) =>
        new(
            token,
            [EvmHash.FromBytes(UniswapContracts.Transfer.Topic0), Topic(from), Topic(to)],
            Word(value),
            0,
            false,
            101,
            null,
            null);

    private static byte[] Word(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    private static EvmHash Topic(EvmAddress address) => EvmHash.FromBytes([.. new byte[12], .. address.ToBytes()]);

    private static EvmReceipt Receipt(params EvmLog[] logs) =>
        new(EvmHash.FromBytes(new byte[32]), 1, 101, EvmHash.FromBytes(new byte[32]), 100_000, 3, TestChain.TokenA, null, null, logs);
}
