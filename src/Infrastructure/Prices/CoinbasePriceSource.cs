using System.Globalization;
using Microsoft.Extensions.Logging;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.Infrastructure.Prices;

/// <summary>
/// Coinbase Exchange public ticker: <c>GET /products/&lt;BASE&gt;-USD/ticker</c> →
/// <c>{"trade_id","price","size","bid","ask","volume","time"}</c>. The last trade's price, dated by its
/// <c>time</c> (ISO 8601), so a market without trades ages into stale.
/// </summary>
public sealed class CoinbasePriceSource(IHttpClientFactory clients, HttpPriceSourceOptions options, IEnumerable<Pair> pairs, TimeProvider time, ILogger<CoinbasePriceSource> logger)
    : HttpPriceSource(SourceName, clients, options, pairs, time, logger)
{
    public const string SourceName = "coinbase";

    protected override async Task<PriceQuote?> FetchAsync(Pair pair, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync($"products/{pair.Base}-{pair.Quote}/ticker", cancellationToken);
        var root = document.RootElement;
        var price = QuoteValues.PositiveDecimal(root, "price", Name);
        var at = Time.GetUtcNow();
        if (root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("time", out var timeElement)
            && timeElement.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            if (!DateTimeOffset.TryParse(timeElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
            {
                throw new PriceSourceException($"{Name}: malformed payload, 'time' is not a timestamp");
            }
        }

        return new PriceQuote(pair, price, Name, at, IsSimulated: false);
    }
}
