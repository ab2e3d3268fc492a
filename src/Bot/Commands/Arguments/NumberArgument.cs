using System.Globalization;
using System.Text.RegularExpressions;

namespace VantaBot.Bot.Commands.Arguments;

/// <summary>
/// Strict parsing of numbers typed by users: plain digits with an optional decimal point, nothing else. No
/// exponents, thousands separators, signs, NaN or Infinity — a typo must never become a different amount.
/// </summary>
public static partial class NumberArgument
{
    public static bool TryParse(string text, int maxDecimals, out decimal value, out string error)
    {
        value = 0;
        var match = Plain().Match(text);
        if (!match.Success)
        {
            error = $"'{Shorten(text)}' is not a number (write plain digits such as 100 or 99.5, no commas, signs or exponents).";
            return false;
        }

        if (match.Groups["fraction"].Length > maxDecimals)
        {
            error = $"'{Shorten(text)}' has more than {maxDecimals} decimals.";
            return false;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            error = $"'{Shorten(text)}' is too large.";
            return false;
        }

        error = "";
        return true;
    }

    public static string Shorten(string text) => text.Length <= 24 ? text : text[..24] + "…";

    [GeneratedRegex(@"^(?<whole>[0-9]{1,15})(?:\.(?<fraction>[0-9]{1,18}))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();
}
