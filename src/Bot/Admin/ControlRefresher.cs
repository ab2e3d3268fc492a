using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Control;

namespace VantaBot.Bot.Admin;

/// <summary>Keeps <see cref="SystemControl"/> fresh: a database re-read every interval, and one on every signal.</summary>
public sealed class ControlRefresher(
    SystemControl control,
    IControlSignal signal,
    DatabaseReadiness database,
    IOptions<AdminOptions> options,
    TimeProvider time,
    ILogger<ControlRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        await RefreshQuietlyAsync(stoppingToken);

        // Subscribing may wait for Redis to come up; the periodic re-read must not wait for it.
        var subscription = signal.SubscribeAsync(() => _ = RefreshQuietlyAsync(stoppingToken), stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ControlRefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RefreshQuietlyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }

        try
        {
            await subscription;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping while still waiting for Redis.
        }
    }

    private async Task RefreshQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var snapshot = await control.RefreshAsync(cancellationToken);
            logger.LogDebug("Control switches: stopped={Stopped}, maintenance={Maintenance}", snapshot.IsStopped, snapshot.InMaintenance);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The next tick retries; readers re-read themselves once the view is two intervals old.
            logger.LogWarning(ex, "Could not re-read the control switches");
        }
    }
}
