using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Trading.Swaps;

namespace VantaBot.Infrastructure.Evm.Copy;

/// <summary>One <see cref="EvmLeaderWatcher"/> per swap chain of the catalog (each keeps its own reorg trail).</summary>
public sealed class EvmLeaderWatchers : IDisposable
{
    public EvmLeaderWatchers(
        ISwapCatalog catalog,
        IOptions<ChainsOptions> chains,
        IEvmRpcClients clients,
        IServiceScopeFactory scopes,
        IOptions<CopyWatchOptions> options,
        LeaderWatchMetrics metrics,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        All = catalog.Chains
            .Select(chain => new EvmLeaderWatcher(
                chain,
                chains.Value.Chains[chain.Name],
                clients.Find(chain.Name) ?? throw new InvalidOperationException($"No RPC client for swap chain {chain.Name}."),
                scopes,
                options.Value,
                metrics,
                loggers.CreateLogger<EvmLeaderWatcher>()))
            .ToArray();
    }

    public IReadOnlyList<EvmLeaderWatcher> All { get; }

    public void Dispose()
    {
        foreach (var watcher in All)
        {
            watcher.Dispose();
        }
    }

    public EvmLeaderWatcher? Find(string chain) => All.FirstOrDefault(w => string.Equals(w.Chain, chain, StringComparison.OrdinalIgnoreCase));
}
