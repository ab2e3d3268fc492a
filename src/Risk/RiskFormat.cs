using System.Globalization;

namespace VantaBot.Risk;

/// <summary>Invariant number formats for risk messages (thousands separators, no culture surprises).</summary>
internal static class RiskFormat
{
    /// <summary>USD amounts: 120,000 or 100,000.01.</summary>
    public static string Usd(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    /// <summary>Prices: at least two decimals, up to ten (2,745.00; 0.0000123456).</summary>
    public static string Price(decimal value) => value.ToString("#,0.00########", CultureInfo.InvariantCulture);

    /// <summary>Leverage: 50x, 50.01x.</summary>
    public static string Leverage(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture) + "x";

    /// <summary>A fraction as a percentage: 0.8501 → 85.01%.</summary>
    public static string Percent(decimal fraction) =>
        (fraction * 100m).ToString("#,0.####", CultureInfo.InvariantCulture) + "%";
}
