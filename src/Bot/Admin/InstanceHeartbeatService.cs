using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Admin;

/// <summary>Records this instance as alive every <see cref="AdminOptions.HeartbeatInterval"/>; prunes long-gone instances.</summary>
public sealed class InstanceHeartbeatService(
    IServiceScopeFactory scopes,
    InstanceIdentity instance,
    DatabaseReadiness database,
    IOptions<AdminOptions> options,
    TimeProvider time,
    ILogger<InstanceHeartbeatService> logger) : BackgroundService
{
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        var beats = 0;
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<InstanceHeartbeatStore>();
                var now = time.GetUtcNow();
                await store.BeatAsync(new InstanceSeen(instance.Id, instance.Host, instance.Version, instance.StartedAt, now), stoppingToken);
                if (beats++ % 100 == 0)
                {
                    await store.PruneAsync(now - ForgetAfter, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not record the instance heartbeat");
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
