using System.Numerics;
using VantaBot.Infrastructure.Evm.Abi;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Swaps;

/// <summary>
/// The ERC-20 and Uniswap functions the swap path calls, and the call data it builds from them. One place, so the
/// encodings can be checked against the published selectors (docs: ../shared/REFERENCE.md).
/// </summary>
public static class UniswapContracts
{
    public static readonly AbiFunction BalanceOf = AbiFunction.Parse("balanceOf(address owner) view returns (uint256)");
    public static readonly AbiFunction Allowance = AbiFunction.Parse("allowance(address owner, address spender) view returns (uint256)");
    public static readonly AbiFunction Approve = AbiFunction.Parse("approve(address spender, uint256 amount) returns (bool)");
    public static readonly AbiEvent Transfer = AbiEvent.Parse("Transfer(address indexed from, address indexed to, uint256 value)");

    public static readonly AbiFunction V2GetAmountsOut = AbiFunction.Parse("getAmountsOut(uint256 amountIn, address[] path) view returns (uint256[] amounts)");
    public static readonly AbiFunction V2SwapExactTokensForTokens = AbiFunction.Parse(
        "swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline) returns (uint256[] amounts)");
    public static readonly AbiFunction V2Factory = AbiFunction.Parse("factory() view returns (address)");
    public static readonly AbiFunction V2GetPair = AbiFunction.Parse("getPair(address tokenA, address tokenB) view returns (address pair)");
    public static readonly AbiFunction V2GetReserves = AbiFunction.Parse("getReserves() view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)");
    public static readonly AbiFunction V2Token0 = AbiFunction.Parse("token0() view returns (address)");

    /// <summary>QuoterV2: not a view (it simulates the swap and reverts inside), so it is only ever eth_call'ed.</summary>
    public static readonly AbiFunction V3QuoteExactInputSingle = AbiFunction.Parse(
        "quoteExactInputSingle((address tokenIn, address tokenOut, uint256 amountIn, uint24 fee, uint160 sqrtPriceLimitX96) params) "
        + "returns (uint256 amountOut, uint160 sqrtPriceX96After, uint32 initializedTicksCrossed, uint256 gasEstimate)");

    /// <summary>The periphery 1.x SwapRouter's struct, with the deadline (SwapRouter02's differs).</summary>
    public static readonly AbiFunction V3ExactInputSingle = AbiFunction.Parse(
        "exactInputSingle((address tokenIn, address tokenOut, uint24 fee, address recipient, uint256 deadline, uint256 amountIn, uint256 amountOutMinimum, uint160 sqrtPriceLimitX96) params) payable returns (uint256 amountOut)");

    public static readonly AbiFunction V3Factory = AbiFunction.Parse("factory() view returns (address)");
    public static readonly AbiFunction V3GetPool = AbiFunction.Parse("getPool(address tokenA, address tokenB, uint24 fee) view returns (address pool)");
    public static readonly AbiFunction V3Slot0 = AbiFunction.Parse(
        "slot0() view returns (uint160 sqrtPriceX96, int24 tick, uint16 observationIndex, uint16 observationCardinality, uint16 observationCardinalityNext, uint8 feeProtocol, bool unlocked)");

    /// <summary>Approval of exactly <paramref name="amount"/>: never an unlimited allowance.</summary>
    public static byte[] ApproveCall(EvmAddress spender, BigInteger amount) => Approve.EncodeCall(spender, amount);

    public static byte[] V2QuoteCall(BigInteger amountIn, EvmAddress tokenIn, EvmAddress tokenOut) =>
        V2GetAmountsOut.EncodeCall(amountIn, new object?[] { tokenIn, tokenOut });

    public static byte[] V2SwapCall(BigInteger amountIn, BigInteger minimumOut, EvmAddress tokenIn, EvmAddress tokenOut, EvmAddress recipient, BigInteger deadline) =>
        V2SwapExactTokensForTokens.EncodeCall(amountIn, minimumOut, new object?[] { tokenIn, tokenOut }, recipient, deadline);

    /// <summary>No price limit (0): the minimum out is the trader's protection.</summary>
    public static byte[] V3QuoteCall(EvmAddress tokenIn, EvmAddress tokenOut, BigInteger amountIn, int fee) =>
        V3QuoteExactInputSingle.EncodeCall(Struct(tokenIn, tokenOut, amountIn, new BigInteger(fee), BigInteger.Zero));

    public static byte[] V3SwapCall(
        EvmAddress tokenIn, EvmAddress tokenOut, int fee, EvmAddress recipient, BigInteger deadline, BigInteger amountIn, BigInteger minimumOut) =>
        V3ExactInputSingle.EncodeCall(Struct(tokenIn, tokenOut, new BigInteger(fee), recipient, deadline, amountIn, minimumOut, BigInteger.Zero));

    /// <summary>A struct is one argument: wrapped so that params does not spread its fields into several.</summary>
    private static object?[] Struct(params object?[] fields) => [fields];
}
