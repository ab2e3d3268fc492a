using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.EvmTransactions;

namespace VantaBot.Infrastructure.Evm.Transactions;

/// <summary>
/// Tends every pending transaction of every chain, each chain on its own <c>Chains__&lt;c&gt;__MonitorInterval</c>:
/// settles the mined and the dropped, re-broadcasts what the node forgot (or never got: a crash after the
/// write-ahead persist), and replaces with bumped fees what has waited longer than <c>ReplaceAfter</c>.
/// </summary>
public sealed class EvmTransactionMonitor(
    IOptions<ChainsOptions> chains,
    EvmTransactionInspector inspector,
    EvmTransactionSender sender,
    IServiceScopeFactory scopes,
    DatabaseReadiness database,
    TimeProvider time,
    ILogger<EvmTransactionMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The tables exist once the initializer has migrated; sweeping before would only log failures.
            await database.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        await Task.WhenAll(chains.Value.Chains.Select(c => WatchAsync(c.Key, c.Value.EffectiveMonitorInterval, stoppingToken)));
    }

    /// <summary>One pass over the chain's pending transactions; one failing transaction does not stop the others.</summary>
    public async Task SweepAsync(string chain, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredEvmTransaction> pending;
        await using (var scope = scopes.CreateAsyncScope())
        {
            pending = await scope.ServiceProvider.GetRequiredService<EvmTransactionStore>().PendingAsync(chain, cancellationToken);
        }

        var replaceAfter = inspector.Options(chain).EffectiveReplaceAfter;
        foreach (var transaction in pending)
        {
            try
            {
                await TendAsync(transaction, replaceAfter, cancellationToken);
            }
            catch (Exception ex) when (ex is EvmRpcException or EvmRpcUnavailableException or TimeoutException)
            {
                logger.LogWarning("EVM {Chain}: monitoring transaction {Id} failed this round: {Error}", chain, transaction.Record.Id, ex.Message);
            }
        }
    }

    private async Task TendAsync(StoredEvmTransaction transaction, TimeSpan replaceAfter, CancellationToken cancellationToken)
    {
        var inspection = await inspector.InspectAsync(transaction, cancellationToken);
        if (inspection.Sighting is EvmTxSighting.Settled or EvmTxSighting.MinedUnconfirmed or EvmTxSighting.SpentUnconfirmed)
        {
            return;
        }

        if (time.GetUtcNow() - transaction.Latest.CreatedAt >= replaceAfter)
        {
            // Replacing also broadcasts, so it covers a forgotten transaction too.
            if (await sender.ReplaceAsync(transaction, cancellationToken))
            {
                return;
            }
        }

        if (inspection.Sighting == EvmTxSighting.Unknown)
        {
            await sender.RebroadcastAsync(transaction, cancellationToken);
        }
    }

    private async Task WatchAsync(string chain, TimeSpan interval, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(chain, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database or the node is away: the next tick tries again.
                    logger.LogError(ex, "EVM {Chain}: transaction monitor sweep failed", chain);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
