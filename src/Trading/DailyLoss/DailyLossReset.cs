using Microsoft.Extensions.Logging;
using VantaBot.Trading.Perps;

namespace VantaBot.Trading.DailyLoss;

public sealed record DailyResetReport(DateOnly Day, bool AlreadyDone, int Snapshots);

/// <summary>
/// Starts a new trading day for every account: snapshots each user's equity for the current UTC day, then
/// records the day as done. Run by the 00:00 UTC job and once at start-up (the catch-up for a process that was
/// down at midnight). Safe to run again and on several instances at once: a snapshot is written at most once
/// per (user, day) and the done-marker once per day; a run that dies half-way is completed by the next one.
/// </summary>
public sealed class DailyLossReset(
    IDailyEquityStore store,
    IJobRunLog runs,
    PortfolioValuation portfolio,
    TimeProvider time,
    ILogger<DailyLossReset> logger)
{
    public const string JobName = "daily-loss-reset";

    public async Task<DailyResetReport> RunAsync(string instance, CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var period = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (await runs.HasRunAsync(JobName, period, cancellationToken))
        {
            return new DailyResetReport(day, AlreadyDone: true, 0);
        }

        var written = 0;
        foreach (var user in await store.AccountHoldersAsync(cancellationToken))
        {
            var equity = (await portfolio.ValueAsync(user, cancellationToken)).Equity;
            if (await store.TryAddAsync(user, day, equity, time.GetUtcNow(), cancellationToken))
            {
                written++;
            }
        }

        var recorded = await runs.TryRecordAsync(JobName, period, instance, time.GetUtcNow(), cancellationToken);
        logger.LogInformation("Daily loss reset for {Day}: {Snapshots} equity snapshots written{Note}", period, written, recorded ? "" : " (another instance finished the day first)");
        return new DailyResetReport(day, AlreadyDone: !recorded && written == 0, written);
    }
}
