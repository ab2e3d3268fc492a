using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VantaBot.Trading.Prices;

/// <summary>One probe round: every source's status and every close-only pair, after reading every pair once.</summary>
public sealed record FeedHealthReport(IReadOnlyList<(string Source, SourceStatus Status, string Detail)> Sources, IReadOnlyList<CloseOnlyState> CloseOnlyPairs);

/// <summary>
/// Reads every supported pair through the feed (which asks each source, subject to its fetch interval) and
/// reports which sources answered well and which pairs are close-only. Runs from the feed-health job, so a
/// pair nobody asks about still enters and leaves close-only on time.
/// </summary>
public sealed class PriceFeedProbe(PriceFeed feed, PriceSourceHealth health, IOptions<PriceFeedOptions> options, TimeProvider time, ILogger<PriceFeedProbe> logger)
{
    public async Task<FeedHealthReport> ProbeAsync(CancellationToken cancellationToken)
    {
        foreach (var pair in feed.SupportedPairs)
        {
            try
            {
                await feed.GetPriceAsync(pair, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Probing {Pair} failed", pair);
            }
        }

        var now = time.GetUtcNow();
        var sources = feed.Sources.Select(source =>
        {
            var record = health.Get(source.Name);

            // The fetch interval may have served a quote fetched a moment before this round; it still counts.
            var status = record.StatusAt(now, options.Value.MaxQuoteAge + options.Value.MinFetchInterval);
            var detail = status == SourceStatus.Up ? "answering" : record.LastError ?? "no answer yet";
            return (source.Name, status, detail);
        }).ToArray();
        return new FeedHealthReport(sources, feed.CloseOnlyPairs);
    }
}
