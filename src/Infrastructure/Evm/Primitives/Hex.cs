using System.Globalization;
using System.Numerics;

namespace VantaBot.Infrastructure.Evm.Primitives;

/// <summary>
/// The two hex encodings of Ethereum's JSON-RPC: DATA ("0x" + two digits per byte, any length) and
/// QUANTITY ("0x" + minimal digits, "0x0" for zero). Parsing is strict, because both arrive from nodes we do not control.
/// </summary>
public static class Hex
{
    public static string FromBytes(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    public static byte[] ToBytes(string hex)
    {
        if (!TryToBytes(hex, out var bytes))
        {
            throw new FormatException($"'{Shorten(hex)}' is not 0x-prefixed hex data with an even number of digits");
        }

        return bytes;
    }

    public static bool TryToBytes(string? hex, out byte[] bytes)
    {
        bytes = [];
        if (hex is null || !hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Length % 2 != 0)
        {
            return false;
        }

        var digits = hex.AsSpan(2);
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        bytes = Convert.FromHexString(digits);
        return true;
    }

    public static string FromQuantity(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "an Ethereum quantity cannot be negative");
        }

        if (value.IsZero)
        {
            return "0x0";
        }

        var hex = Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true)).TrimStart('0');
        return "0x" + hex;
    }

    public static BigInteger ToQuantity(string hex)
    {
        if (hex is null || !hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Length < 3 || hex.Length > 2 + 64)
        {
            throw new FormatException($"'{Shorten(hex)}' is not a 0x-prefixed hex quantity of at most 256 bits");
        }

        var digits = hex.AsSpan(2);
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                throw new FormatException($"'{Shorten(hex)}' is not a hex quantity");
            }
        }

        // A leading zero keeps BigInteger.Parse from reading the top bit as a sign.
        return BigInteger.Parse("0" + digits.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private static string Shorten(string? value) =>
        value is null ? "(null)" : value.Length <= 24 ? value : value[..24] + "…";
}
