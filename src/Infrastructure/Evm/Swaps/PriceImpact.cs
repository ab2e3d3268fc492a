using System.Numerics;

namespace VantaBot.Infrastructure.Evm.Swaps;

/// <summary>
/// Price impact as the share of the output a swap loses to its own size: 1 − out ÷ (in × mid price × (1 − pool fee)).
/// The mid price is the pool's price before the swap (V2 reserves, V3 slot0), so the pool fee, shown separately by
/// the route, is not counted twice. The same definition on both versions, in raw units (decimals cancel out).
/// </summary>
public static class PriceImpact
{
    private const int Scale = 18;
    private static readonly BigInteger Q192 = BigInteger.Pow(2, 192);
    private static readonly BigInteger FeeDenominator = 1_000_000;

    /// <summary>V2: mid price = reserveOut ÷ reserveIn.</summary>
    public static decimal FromReserves(BigInteger amountIn, BigInteger amountOut, BigInteger reserveIn, BigInteger reserveOut, int fee)
    {
        // ideal out = in × rOut ÷ rIn × (1 − fee)
        var ideal = (Numerator: amountIn * reserveOut * (FeeDenominator - fee), Denominator: reserveIn * FeeDenominator);
        return Impact(amountOut, ideal.Numerator, ideal.Denominator);
    }

    /// <summary>
    /// V3: the pool's sqrtPriceX96 before the swap is √(token1 per token0) × 2^96; <paramref name="zeroForOne"/> says
    /// the input is token0 (the lower address).
    /// </summary>
    public static decimal FromSqrtPrice(BigInteger amountIn, BigInteger amountOut, BigInteger sqrtPriceX96, bool zeroForOne, int fee)
    {
        var priceX192 = sqrtPriceX96 * sqrtPriceX96;
        var afterFee = amountIn * (FeeDenominator - fee);
        return zeroForOne
            ? Impact(amountOut, afterFee * priceX192, Q192 * FeeDenominator)
            : Impact(amountOut, afterFee * Q192, priceX192 * FeeDenominator);
    }

    /// <summary>1 − actual ÷ ideal, where ideal = numerator ÷ denominator; clamped to [0, 1] (a better-than-mid fill is no impact).</summary>
    private static decimal Impact(BigInteger actual, BigInteger idealNumerator, BigInteger idealDenominator)
    {
        if (idealNumerator.Sign <= 0 || idealDenominator.Sign <= 0)
        {
            return 1m;
        }

        var one = BigInteger.Pow(10, Scale);
        var ratio = actual * idealDenominator * one / idealNumerator;
        if (ratio >= one)
        {
            return 0m;
        }

        return (decimal)(one - ratio) / (decimal)one;
    }
}
