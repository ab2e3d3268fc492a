using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.Trading.Swaps;

/// <summary>
/// A swap's size in USD for the volume quota and the size limit: a stablecoin at par, a token with a feed at its fresh
/// price, anything else at 0 (no feed can value it, so USD limits cannot apply — the per-swap checks still do).
/// </summary>
public sealed class SwapValuation(IPriceFeed prices)
{
    public async Task<decimal> NotionalUsdAsync(SwapToken token, decimal amount, CancellationToken cancellationToken)
    {
        if (token.UsdPriceSymbol is not { } symbol)
        {
            return 0m;
        }

        if (string.Equals(symbol, Pair.UsdQuote, StringComparison.OrdinalIgnoreCase))
        {
            return amount;
        }

        if (!Pair.TryParse(symbol, out var pair))
        {
            return 0m;
        }

        var reading = await prices.GetPriceAsync(pair, cancellationToken);
        return reading is { IsStale: false } ? amount * reading.Quote.Price : 0m;
    }
}
