using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Jobs;

/// <summary>
/// Starts the Quartz scheduler once the database is migrated and answering (the clustered store needs its tables,
/// and every job needs the database), and shuts it down with the host, letting running jobs finish.
/// </summary>
public sealed class SchedulerHost(ISchedulerFactory factory, DatabaseReadiness database, ILogger<SchedulerHost> logger) : BackgroundService
{
    private IScheduler? _scheduler;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_scheduler is { } scheduler)
        {
            await scheduler.Shutdown(true, cancellationToken);
            logger.LogInformation("Job scheduler stopped");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        _scheduler = await factory.GetScheduler(stoppingToken);
        await _scheduler.Start(stoppingToken);
        logger.LogInformation("Job scheduler {Name} started as {Instance}", _scheduler.SchedulerName, _scheduler.SchedulerInstanceId);
    }
}
