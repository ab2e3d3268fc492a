using Microsoft.Extensions.Logging;
using Quartz;
using VantaBot.Trading.Prices;

namespace VantaBot.Bot.Jobs;

/// <summary>
/// Every 10 s: reads every pair once (which also moves pairs into and out of close-only when nobody is trading
/// them), marks each source up or down, and alerts the admins on every change. The announced statuses live in the
/// database, so with several instances each change is announced exactly once.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PriceFeedHealthJob(
    PriceFeedProbe probe,
    PriceFeed feed,
    IFeedStatusStore statuses,
    AdminAlerts alerts,
    TimeProvider time,
    ILogger<PriceFeedHealthJob> logger) : IJob
{
    public const string Name = "price-feed-health";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var report = await probe.ProbeAsync(cancellationToken);
        var now = time.GetUtcNow();
        var news = new List<string>();
        foreach (var (source, status, detail) in report.Sources)
        {
            if (status == SourceStatus.Unknown)
            {
                continue;
            }

            var change = await statuses.SetAsync($"source:{source}", status == SourceStatus.Up ? "up" : "down", detail, now, cancellationToken);
            if (change is null || (change.Previous is null && change.Current == "up"))
            {
                // A healthy source seen for the first time is no news.
                continue;
            }

            news.Add(change.Current == "up" ? $"🟢 Price source {source} is up again." : $"🔴 Price source {source} is DOWN: {detail}");
        }

        var closeOnly = report.CloseOnlyPairs.ToDictionary(p => p.Pair);
        foreach (var pair in feed.SupportedPairs)
        {
            var isCloseOnly = closeOnly.TryGetValue(pair, out var state);
            var change = await statuses.SetAsync($"pair:{pair}", isCloseOnly ? "close-only" : "open", state?.Reason ?? "priced", now, cancellationToken);
            if (change is null || (change.Previous is null && !isCloseOnly))
            {
                continue;
            }

            news.Add(isCloseOnly
                ? $"⏸ {pair} is close-only: {state!.Reason}. New positions are paused; closing stays open."
                : $"▶️ {pair} has fresh agreed prices again; new positions are open.");
        }

        if (news.Count > 0)
        {
            logger.LogWarning("Price feed changes: {Changes}", string.Join(" | ", news));
            await alerts.SendAsync("Price feeds:\n" + string.Join('\n', news), cancellationToken);
        }
    }
}
