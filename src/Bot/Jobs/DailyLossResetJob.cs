using Microsoft.Extensions.Logging;
using Quartz;
using VantaBot.Trading.DailyLoss;

namespace VantaBot.Bot.Jobs;

/// <summary>At 00:00 UTC: snapshots every account's equity as the new day's start for the daily-loss rule.</summary>
[DisallowConcurrentExecution]
public sealed class DailyLossResetJob(DailyLossReset reset, JobsInstance instance, ILogger<DailyLossResetJob> logger) : IJob
{
    public const string Name = "daily-loss-reset";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var report = await reset.RunAsync(instance.Id, cancellationToken);
        if (report.AlreadyDone)
        {
            logger.LogInformation("Daily loss reset for {Day} was already done", report.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
