using System.Globalization;
using Microsoft.Extensions.Options;

namespace VantaBot.Trading.Swaps;

/// <summary>The swap's own risk rules, checked on every fresh quote: slippage bound, price impact, size.</summary>
public sealed class SwapRiskCheck(IOptions<SwapOptions> options)
{
    public SwapOutcome.Rejected? CheckSlippage(int slippageBasisPoints)
    {
        var max = options.Value.MaxSlippageBasisPoints;
        if (slippageBasisPoints <= 0 || slippageBasisPoints > max)
        {
            return new(SwapRejectionCodes.Slippage, $"Slippage must be above 0% and at most {Percent(max)}; you asked for {Percent(slippageBasisPoints)}.");
        }

        return null;
    }

    public SwapOutcome.Rejected? CheckQuote(SwapQuote quote, decimal notionalUsd)
    {
        var maxImpact = options.Value.MaxPriceImpactPercent / 100m;
        if (quote.PriceImpactFraction > maxImpact)
        {
            return new(
                SwapRejectionCodes.PriceImpact,
                $"This swap would move the {quote.Route} price by {quote.PriceImpactFraction * 100m:0.##}%, above the {options.Value.MaxPriceImpactPercent:0.##}% limit; try a smaller amount. Nothing was sent.");
        }

        var maxUsd = options.Value.MaxSwapUsd;
        if (maxUsd > 0 && notionalUsd > maxUsd)
        {
            return new(
                SwapRejectionCodes.MaxSwapSize,
                $"This swap is worth about {notionalUsd.ToString("#,0", CultureInfo.InvariantCulture)} USD, above the {maxUsd.ToString("#,0", CultureInfo.InvariantCulture)} USD limit per swap. Nothing was sent.");
        }

        return null;
    }

    private static string Percent(int basisPoints) => (basisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
