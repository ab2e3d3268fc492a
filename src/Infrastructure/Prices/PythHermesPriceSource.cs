using System.Text.Json;
using Microsoft.Extensions.Logging;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.Infrastructure.Prices;

/// <summary>
/// Pyth's Hermes HTTP API: <c>GET /v2/updates/price/latest?ids[]=&lt;feed id&gt;&amp;parsed=true</c>. The price is
/// <c>price.price × 10^price.expo</c>, dated by <c>price.publish_time</c> (unix seconds), so an oracle that stopped
/// publishing shows up as stale even while Hermes answers.
/// </summary>
public sealed class PythHermesPriceSource(IHttpClientFactory clients, HttpPriceSourceOptions options, IReadOnlyDictionary<Pair, string> feedIds, TimeProvider time, ILogger<PythHermesPriceSource> logger)
    : HttpPriceSource(SourceName, clients, options, feedIds.Keys, time, logger)
{
    public const string SourceName = "pyth";

    protected override async Task<PriceQuote?> FetchAsync(Pair pair, CancellationToken cancellationToken)
    {
        var id = Normalize(feedIds[pair]);
        using var document = await GetJsonAsync($"v2/updates/price/latest?ids[]={id}&parsed=true", cancellationToken);
        if (!document.RootElement.TryGetProperty("parsed", out var parsed) || parsed.ValueKind != JsonValueKind.Array)
        {
            throw new PriceSourceException($"{Name}: malformed payload, 'parsed' missing");
        }

        foreach (var feed in parsed.EnumerateArray())
        {
            if (feed.ValueKind != JsonValueKind.Object || !feed.TryGetProperty("id", out var feedId) || Normalize(feedId.GetString() ?? "") != id)
            {
                continue;
            }

            if (!feed.TryGetProperty("price", out var price) || price.ValueKind != JsonValueKind.Object)
            {
                throw new PriceSourceException($"{Name}: malformed payload, 'price' missing for {pair}");
            }

            if (!price.TryGetProperty("expo", out var expo) || !expo.TryGetInt32(out var exponent)
                || !price.TryGetProperty("publish_time", out var published) || !published.TryGetInt64(out var publishTime))
            {
                throw new PriceSourceException($"{Name}: malformed payload, 'expo' or 'publish_time' missing for {pair}");
            }

            var value = QuoteValues.FixedPoint(QuoteValues.Text(price, "price", Name), exponent, Name);
            return new PriceQuote(pair, value, Name, DateTimeOffset.FromUnixTimeSeconds(publishTime), IsSimulated: false);
        }

        throw new PriceSourceException($"{Name}: the answer holds no feed {id[..8]}… for {pair}");
    }

    private static string Normalize(string id) =>
        (id.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? id[2..] : id).ToLowerInvariant();
}
