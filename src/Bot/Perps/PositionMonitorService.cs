using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Perps;

namespace VantaBot.Bot.Perps;

/// <summary>
/// Runs <see cref="PositionMonitor"/> every <see cref="PerpsOptions.MonitorInterval"/> once the database is ready,
/// one DI scope per pass. A failed pass is logged and the next one runs on time: a monitor that stops on an
/// error would leave every stop-loss unguarded.
/// </summary>
public sealed class PositionMonitorService(
    IServiceScopeFactory scopes,
    DatabaseReadiness database,
    TimeProvider time,
    IOptions<PerpsOptions> options,
    ILogger<PositionMonitorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.MonitorInterval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var actions = await scope.ServiceProvider.GetRequiredService<PositionMonitor>().RunOnceAsync(stoppingToken);
                if (actions.Count > 0)
                {
                    logger.LogInformation("Position monitor acted on {Count} positions", actions.Count);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Position monitor pass failed; retrying at the next interval");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
