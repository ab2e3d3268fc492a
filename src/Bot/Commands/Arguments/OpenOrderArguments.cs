using System.Diagnostics.CodeAnalysis;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;

namespace VantaBot.Bot.Commands.Arguments;

/// <summary>"&lt;PAIR&gt; &lt;COLLATERAL_USDC&gt; &lt;LEV&gt;x [tp=&lt;price&gt;] [sl=&lt;price&gt;]", strictly.</summary>
public sealed record OpenOrderArguments(Pair Pair, decimal Collateral, decimal Leverage, decimal? TakeProfit, decimal? StopLoss)
{
    private const int PriceDecimals = 10;

    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out OpenOrderArguments? parsed, out string error)
    {
        parsed = null;
        if (args.Count is < 3 or > 5)
        {
            error = "expected a pair, a collateral in USDC and a leverage such as 25x";
            return false;
        }

        if (!Pair.TryParse(args[0], out var pair))
        {
            error = $"'{NumberArgument.Shorten(args[0])}' is not a pair";
            return false;
        }

        if (!NumberArgument.TryParse(args[1], Usdc.Decimals, out var collateral, out error))
        {
            error = "collateral: " + error;
            return false;
        }

        var leverageText = args[2];
        if (!leverageText.EndsWith('x') && !leverageText.EndsWith('X'))
        {
            error = $"leverage '{NumberArgument.Shorten(leverageText)}' must end in x, e.g. 25x";
            return false;
        }

        if (!NumberArgument.TryParse(leverageText[..^1], 2, out var leverage, out error))
        {
            error = "leverage: " + error;
            return false;
        }

        if (collateral <= 0 || leverage <= 0)
        {
            error = "collateral and leverage must be more than 0";
            return false;
        }

        decimal? takeProfit = null, stopLoss = null;
        foreach (var option in args.Skip(3))
        {
            var separator = option.IndexOf('=', StringComparison.Ordinal);
            var key = separator < 0 ? option : option[..separator].ToLowerInvariant();
            if (separator < 0 || key is not ("tp" or "sl"))
            {
                error = $"'{NumberArgument.Shorten(option)}' is not tp=<price> or sl=<price>";
                return false;
            }

            if ((key == "tp" && takeProfit is not null) || (key == "sl" && stopLoss is not null))
            {
                error = $"{key} is given twice";
                return false;
            }

            if (!NumberArgument.TryParse(option[(separator + 1)..], PriceDecimals, out var price, out error) || price <= 0)
            {
                error = $"{key}: {(error.Length > 0 ? error : "a price must be more than 0")}";
                return false;
            }

            if (key == "tp")
            {
                takeProfit = price;
            }
            else
            {
                stopLoss = price;
            }
        }

        parsed = new OpenOrderArguments(pair, collateral, leverage, takeProfit, stopLoss);
        error = "";
        return true;
    }
}
