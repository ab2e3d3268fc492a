using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Copy.Mirroring;

namespace VantaBot.Bot.Copy.Mirroring;

/// <summary>
/// Queues the mirrors of each recorded leader trade, apart from the leader's own trade (which committed before):
/// a slow fan-out never delays a leader. Safe on several instances: the unique mirror index and the conditional
/// <c>fanned_out_at</c> update settle a race.
/// </summary>
public sealed class MirrorFanOutService(
    IServiceScopeFactory scopes,
    DatabaseReadiness database,
    TimeProvider time,
    IOptions<CopyMirroringOptions> options,
    ILogger<MirrorFanOutService> logger) : BackgroundService
{
    private const int TradesPerPass = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var fanned = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                fanned = await scope.ServiceProvider.GetRequiredService<IMirrorStore>().FanOutAsync(TradesPerPass, stoppingToken);
                if (fanned > 0)
                {
                    logger.LogInformation("Fanned out {Count} leader trades", fanned);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Mirror fan-out pass failed; retrying");
            }

            if (fanned < TradesPerPass && !await MirrorDelay.WaitAsync(options.Value.PollInterval, time, stoppingToken))
            {
                break;
            }
        }
    }
}

internal static class MirrorDelay
{
    /// <summary>False when the host is stopping.</summary>
    public static async Task<bool> WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
