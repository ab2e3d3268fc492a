using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Copy.Mirroring;

namespace VantaBot.Bot.Copy.Mirroring;

/// <summary>
/// <see cref="CopyMirroringOptions.Workers"/> loops that claim due mirrors with a lease and run each as the
/// follower's own order, one DI scope (one DbContext) per mirror as the bot has one per update. A mirror whose run
/// throws is given back for a later try, and after <see cref="CopyMirroringOptions.MaxAttempts"/> marked Failed
/// with a notice; a worker that dies mid-mirror leaves a lease that runs out, and the order's idempotency key makes
/// the re-run answer from the first run.
/// </summary>
public sealed class MirrorWorkerService(
    IServiceScopeFactory scopes,
    DatabaseReadiness database,
    TimeProvider time,
    IOptions<CopyMirroringOptions> options,
    ILogger<MirrorWorkerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        await Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => Task.Run(() => RunWorkerAsync(stoppingToken), stoppingToken)));
    }

    private async Task RunWorkerAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<ClaimedMirror> claimed;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                claimed = await scope.ServiceProvider.GetRequiredService<IMirrorStore>().ClaimDueAsync(settings.ClaimBatch, settings.ClaimLease, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Claiming mirrors failed; retrying");
                claimed = [];
            }

            if (claimed.Count == 0)
            {
                if (!await MirrorDelay.WaitAsync(settings.PollInterval, time, stoppingToken))
                {
                    return;
                }

                continue;
            }

            foreach (var mirror in claimed)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    // The rest stay leased and are claimed again when the lease ends (here or on another instance).
                    return;
                }

                await RunOneAsync(mirror, settings, stoppingToken);
            }
        }
    }

    private async Task RunOneAsync(ClaimedMirror mirror, CopyMirroringOptions settings, CancellationToken stoppingToken)
    {
        try
        {
            // Not cancelled by a shutdown: an order half-placed when the host stops would be left to recovery (and a
            // DRY one lost with the process); one order finishes well within the host's shutdown timeout.
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<MirrorExecutor>().ExecuteAsync(mirror, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (TransientMirrorException ex)
        {
            logger.LogWarning("Mirror {MirrorId} (attempt {Attempt}) will be retried: {Reason}", mirror.Id, mirror.Attempts, ex.Message);
            await GiveBackAsync(mirror, settings, ex.Message, stoppingToken);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Mirror {MirrorId} (attempt {Attempt}) failed", mirror.Id, mirror.Attempts);
            await GiveBackAsync(mirror, settings, "it kept failing on our side; nothing was traded for it", stoppingToken);
        }
    }

    private async Task GiveBackAsync(ClaimedMirror mirror, CopyMirroringOptions settings, string reason, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IMirrorStore>();
            if (mirror.Attempts >= settings.MaxAttempts)
            {
                await store.ResolveAsync(mirror, new MirrorResolution.Failed(reason, MirrorPlanner.SkipNotice(mirror.Trade, reason)), stoppingToken);
            }
            else
            {
                // A short backoff that grows: a blink of Redis passes in seconds, a longer outage does not spin.
                await store.ReleaseAsync(mirror.Id, TimeSpan.FromSeconds(Math.Min(60, 2 * mirror.Attempts)), stoppingToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The lease still runs out, and the mirror is claimed again then.
            logger.LogError(ex, "Could not give mirror {MirrorId} back; its lease will end", mirror.Id);
        }
    }
}
