using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Chains;

namespace VantaBot.Infrastructure.Evm.Rpc;

/// <summary>The RPC client of every configured chain, built once (each holds its endpoints' breakers).</summary>
public interface IEvmRpcClients
{
    IReadOnlyCollection<IEvmRpcClient> All { get; }

    /// <summary>The client of the chain named <paramref name="chain"/> (case-insensitive), or null when it is not configured.</summary>
    IEvmRpcClient? Find(string chain);
}

public sealed class EvmRpcClients : IEvmRpcClients
{
    private readonly Dictionary<string, IEvmRpcClient> _clients;

    public EvmRpcClients(IOptions<ChainsOptions> options, IHttpClientFactory http, TimeProvider time, ILoggerFactory loggers)
    {
        _clients = options.Value.Chains.ToDictionary(
            c => c.Key,
            c => (IEvmRpcClient)new EvmRpcClient(c.Key, c.Value, http, time, loggers.CreateLogger<EvmRpcClient>()),
            StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyCollection<IEvmRpcClient> All => _clients.Values;

    public IEvmRpcClient? Find(string chain) => _clients.GetValueOrDefault(chain);
}
