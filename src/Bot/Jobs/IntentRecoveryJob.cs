using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Swaps;

namespace VantaBot.Bot.Jobs;

/// <summary>
/// Every minute: resolves intents stuck Pending or Submitted for longer than <see cref="JobsOptions.RecoveryMinAge"/>
/// (a venue call that hung, an instance that died mid-order) with the same recovery as start-up.
/// </summary>
[DisallowConcurrentExecution]
public sealed class IntentRecoveryJob(IntentRecovery recovery, SwapRecovery swapRecovery, IOptions<JobsOptions> options, TimeProvider time, ILogger<IntentRecoveryJob> logger) : IJob
{
    public const string Name = "intent-recovery";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.RecoveryMinAge;
        var report = await recovery.RecoverAsync(before, cancellationToken);
        if (report.Settled + report.Voided > 0)
        {
            logger.LogWarning("Intent recovery: {Settled} stuck intents settled, {Voided} voided", report.Settled, report.Voided);
        }

        var swaps = await swapRecovery.RecoverAsync(before, cancellationToken);
        if (swaps.Settled + swaps.Voided > 0)
        {
            logger.LogWarning("Swap recovery: {Settled} stuck swaps settled, {Voided} voided", swaps.Settled, swaps.Voided);
        }
    }
}
