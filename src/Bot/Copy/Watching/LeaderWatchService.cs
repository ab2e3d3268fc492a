using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Copy;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Copy.Watching;

/// <summary>
/// Polls every swap chain's leader watcher each <c>Copy__WatchInterval</c>, each chain on its own loop so a slow or
/// failing chain does not hold the others back. A failed poll is logged and the next one starts again from the
/// persisted cursor (RPC failover and breakers sit below, in the chain's client).
/// </summary>
public sealed class LeaderWatchService(
    EvmLeaderWatchers watchers,
    IOptions<CopyWatchOptions> options,
    DatabaseReadiness database,
    TimeProvider time,
    ILogger<LeaderWatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The cursor and follow tables exist once the initializer has migrated.
            await database.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        await Task.WhenAll(watchers.All.Select(w => WatchAsync(w, stoppingToken)));
    }

    private async Task WatchAsync(EvmLeaderWatcher watcher, CancellationToken stoppingToken)
    {
        logger.LogInformation("Copy: watching leader swaps on {Chain} every {Interval} at {Confirmations} confirmations", watcher.Chain, options.Value.WatchInterval, watcher.Confirmations);
        using var timer = new PeriodicTimer(options.Value.WatchInterval, time);
        try
        {
            do
            {
                try
                {
                    await watcher.PollAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is EvmRpcException or EvmRpcUnavailableException or EvmBlockMissingException or TimeoutException or HttpRequestException)
                {
                    logger.LogWarning("Copy: leader watch poll on {Chain} failed, retried next poll: {Error}", watcher.Chain, ex.Message);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Copy: leader watch poll on {Chain} failed, retried next poll", watcher.Chain);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
