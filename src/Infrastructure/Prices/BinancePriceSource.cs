using Microsoft.Extensions.Logging;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.Infrastructure.Prices;

/// <summary>
/// Binance public spot ticker: <c>GET /api/v3/ticker/price?symbol=&lt;BASE&gt;&lt;QUOTE ASSET&gt;</c> →
/// <c>{"symbol","price"}</c>. The payload carries no timestamp, so the quote is dated when it arrived; the
/// USD price is read from the USDT market (configurable), which the median against USD sources keeps honest.
/// </summary>
public sealed class BinancePriceSource(IHttpClientFactory clients, HttpPriceSourceOptions options, string quoteAsset, IEnumerable<Pair> pairs, TimeProvider time, ILogger<BinancePriceSource> logger)
    : HttpPriceSource(SourceName, clients, options, pairs, time, logger)
{
    public const string SourceName = "binance";

    protected override async Task<PriceQuote?> FetchAsync(Pair pair, CancellationToken cancellationToken)
    {
        var symbol = pair.Base + quoteAsset;
        using var document = await GetJsonAsync($"api/v3/ticker/price?symbol={symbol}", cancellationToken);
        var root = document.RootElement;
        if (root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("symbol", out var echoed) && echoed.GetString() != symbol)
        {
            throw new PriceSourceException($"{Name}: asked for {symbol}, answered for {echoed.GetString()}");
        }

        return new PriceQuote(pair, QuoteValues.PositiveDecimal(root, "price", Name), Name, Time.GetUtcNow(), IsSimulated: false);
    }
}
