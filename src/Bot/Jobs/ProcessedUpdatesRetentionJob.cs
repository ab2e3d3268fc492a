using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Jobs;

/// <summary>Hourly: deletes update_id dedupe rows older than <see cref="JobsOptions.ProcessedUpdatesRetention"/>.</summary>
[DisallowConcurrentExecution]
public sealed class ProcessedUpdatesRetentionJob(ProcessedUpdatesPruner pruner, IOptions<JobsOptions> options, TimeProvider time, ILogger<ProcessedUpdatesRetentionJob> logger) : IJob
{
    public const string Name = "processed-updates-retention";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var deleted = await pruner.PruneAsync(time.GetUtcNow() - options.Value.ProcessedUpdatesRetention, cancellationToken);
        if (deleted > 0)
        {
            logger.LogInformation("Pruned {Count} processed updates older than {Retention}", deleted, options.Value.ProcessedUpdatesRetention);
        }
    }
}
