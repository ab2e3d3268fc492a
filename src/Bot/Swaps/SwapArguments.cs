using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using VantaBot.Bot.Commands.Arguments;

namespace VantaBot.Bot.Swaps;

/// <summary>
/// <c>/swap &lt;amount&gt; &lt;FROM&gt; &lt;TO&gt; [on &lt;chain&gt;] [slippage=&lt;pct&gt;%]</c>, parsed strictly: every problem is named,
/// nothing is guessed. Whether the chain and tokens exist is the swap service's call (it knows the configuration).
/// </summary>
public sealed partial record SwapArguments(decimal Amount, string From, string To, string? Chain, int? SlippageBasisPoints)
{
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out SwapArguments? parsed, out string error)
    {
        parsed = null;
        if (args.Count < 3)
        {
            error = "a swap needs an amount and two tokens";
            return false;
        }

        if (!NumberArgument.TryParse(args[0], 18, out var amount, out error))
        {
            return false;
        }

        if (amount <= 0)
        {
            error = "the amount must be above zero";
            return false;
        }

        if (!IsSymbol(args[1]) || !IsSymbol(args[2]))
        {
            var bad = IsSymbol(args[1]) ? args[2] : args[1];
            error = $"'{NumberArgument.Shorten(bad)}' is not a token symbol (letters and digits, up to 16)";
            return false;
        }

        string? chain = null;
        int? slippage = null;
        for (var i = 3; i < args.Count; i++)
        {
            var arg = args[i];
            if (string.Equals(arg, "on", StringComparison.OrdinalIgnoreCase))
            {
                if (chain is not null || i + 1 >= args.Count || !IsChainName(args[i + 1]))
                {
                    error = chain is not null ? "the chain is given twice" : "'on' must be followed by a chain name, e.g. on base";
                    return false;
                }

                chain = args[++i].ToLowerInvariant();
            }
            else if (arg.StartsWith("slippage=", StringComparison.OrdinalIgnoreCase))
            {
                if (slippage is not null || !TryParseSlippage(arg["slippage=".Length..], out var basisPoints, out error))
                {
                    error = slippage is not null ? "slippage is given twice" : error;
                    return false;
                }

                slippage = basisPoints;
            }
            else
            {
                error = $"'{NumberArgument.Shorten(arg)}' is not understood (expected 'on <chain>' or slippage=<pct>%)";
                return false;
            }
        }

        parsed = new SwapArguments(amount, args[1].ToUpperInvariant(), args[2].ToUpperInvariant(), chain, slippage);
        error = "";
        return true;
    }

    private static bool TryParseSlippage(string text, out int basisPoints, out string error)
    {
        basisPoints = 0;
        var number = text.EndsWith('%') ? text[..^1] : text;
        if (!NumberArgument.TryParse(number, 2, out var percent, out error))
        {
            error = $"slippage: {error}";
            return false;
        }

        if (percent <= 0)
        {
            error = "slippage must be above 0%";
            return false;
        }

        if (percent > 100)
        {
            error = $"slippage {percent.ToString(CultureInfo.InvariantCulture)}% is more than everything";
            return false;
        }

        basisPoints = (int)(percent * 100m);
        return true;
    }

    private static bool IsSymbol(string text) => Symbol().IsMatch(text);

    private static bool IsChainName(string text) => ChainName().IsMatch(text);

    [GeneratedRegex(@"^[A-Za-z0-9]{1,16}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Symbol();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ChainName();
}
