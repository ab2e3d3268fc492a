using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace VantaBot.Trading.Swaps;

/// <summary>
/// An on-chain amount in the token's raw units (wei for 18 decimals, micros for USDC), so nothing is rounded on the
/// way to the chain. Conversion from a typed decimal is exact or refused: 0.0000001 of a 6-decimal token is not
/// silently 0.
/// </summary>
public readonly record struct TokenAmount(BigInteger Raw, int Decimals)
{
    /// <summary>The amount as a decimal (decimal holds 28 digits: exact for every realistic balance of an 18-decimal token).</summary>
    public decimal ToDecimal()
    {
        var scale = BigInteger.Pow(10, Decimals);
        var whole = BigInteger.DivRem(Raw, scale, out var fraction);
        return (decimal)whole + ((decimal)fraction / (decimal)scale);
    }

    public static bool TryFromDecimal(decimal value, int decimals, out TokenAmount amount, [NotNullWhen(false)] out string? problem)
    {
        amount = default;
        if (value <= 0)
        {
            problem = "the amount must be positive";
            return false;
        }

        var scaled = value * Pow10(decimals, out var exact);
        if (!exact || scaled != decimal.Truncate(scaled))
        {
            problem = $"the token has {decimals} decimals, so the amount cannot have more digits after the point";
            return false;
        }

        amount = new TokenAmount(new BigInteger(scaled), decimals);
        problem = null;
        return true;
    }

    /// <summary>The share <paramref name="basisPoints"/>/10,000 of this amount, rounded down (a minimum out never rounds up).</summary>
    public TokenAmount MinusBasisPoints(int basisPoints) => this with { Raw = Raw * (10_000 - basisPoints) / 10_000 };

    public string Format(string symbol) => $"{ToDecimal().ToString("#,0.########", CultureInfo.InvariantCulture)} {symbol}";

    public override string ToString() => ToDecimal().ToString("0.##################", CultureInfo.InvariantCulture);

    private static decimal Pow10(int decimals, out bool exact)
    {
        // decimal holds 28 significant digits; an amount that needs more cannot be typed exactly anyway.
        exact = decimals is >= 0 and <= 28;
        var result = 1m;
        for (var i = 0; i < Math.Min(decimals, 28); i++)
        {
            result *= 10m;
        }

        return result;
    }
}
