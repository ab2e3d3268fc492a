using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace VantaBot.Infrastructure.Prices;

/// <summary>Reads prices out of JSON payloads, refusing anything that is not a plain positive number.</summary>
internal static class QuoteValues
{
    private const NumberStyles PlainDecimal = NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign;

    /// <summary>A property's string (or number) value as a decimal &gt; 0.</summary>
    public static decimal PositiveDecimal(JsonElement parent, string property, string source)
    {
        var text = Text(parent, property, source);

        // decimal.TryParse refuses "NaN", "Infinity" and exponents by these styles: all three are absurd here.
        if (!decimal.TryParse(text, PlainDecimal, CultureInfo.InvariantCulture, out var value))
        {
            throw new AbsurdPriceException($"{source}: {property} '{Clip(text)}' is not a number");
        }

        return value > 0 ? value : throw new AbsurdPriceException($"{source}: {property} {value.ToString(CultureInfo.InvariantCulture)} is not a positive price");
    }

    /// <summary>A Pyth-style fixed-point price: integer mantissa times 10^expo, as a decimal &gt; 0.</summary>
    public static decimal FixedPoint(string mantissa, int expo, string source)
    {
        if (!BigInteger.TryParse(mantissa, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            throw new AbsurdPriceException($"{source}: price '{Clip(mantissa)}' is not an integer");
        }

        if (integer <= 0)
        {
            throw new AbsurdPriceException($"{source}: price {integer} is not positive");
        }

        // decimal holds 28 digits; no real USD price needs an exponent outside this range.
        if (expo is < -18 or > 8 || integer > new BigInteger(decimal.MaxValue) / BigInteger.Pow(10, Math.Max(0, expo)))
        {
            throw new AbsurdPriceException($"{source}: price {Clip(mantissa)}e{expo} is out of range");
        }

        var value = (decimal)integer;
        return expo >= 0 ? value * Pow10(expo) : value / Pow10(-expo);
    }

    public static string Text(JsonElement parent, string property, string source)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(property, out var element))
        {
            throw new PriceSourceException($"{source}: malformed payload, '{property}' missing");
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString() ?? "",
            JsonValueKind.Number => element.GetRawText(),
            _ => throw new AbsurdPriceException($"{source}: {property} is {element.ValueKind}, not a number"),
        };
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }

    private static string Clip(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
