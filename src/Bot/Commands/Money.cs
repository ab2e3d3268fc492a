using System.Globalization;

namespace VantaBot.Bot.Commands;

/// <summary>How amounts and prices read in replies: invariant culture, thousands separators, enough decimals.</summary>
public static class Money
{
    public static string Format(decimal usd) => usd.ToString("#,0.00", CultureInfo.InvariantCulture);

    public static string Signed(decimal usd) => (usd >= 0 ? "+" : "−") + Format(Math.Abs(usd));

    public static string Price(decimal price) =>
        price.ToString(price >= 1m ? "#,0.00##" : "0.00######", CultureInfo.InvariantCulture);
}
