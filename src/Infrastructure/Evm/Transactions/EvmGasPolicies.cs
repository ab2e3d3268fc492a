using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Chains;

namespace VantaBot.Infrastructure.Evm.Transactions;

/// <summary>The gas policy of every configured chain, built once from its options.</summary>
public sealed class EvmGasPolicies(IOptions<ChainsOptions> options)
{
    private readonly Dictionary<string, EvmGasPolicy> _policies = options.Value.Chains.ToDictionary(
        c => c.Key, c => new EvmGasPolicy(c.Value), StringComparer.OrdinalIgnoreCase);

    public EvmGasPolicy For(string chain) =>
        _policies.GetValueOrDefault(chain) ?? throw new InvalidOperationException($"EVM chain '{chain}' is not configured (Chains__{chain}__*).");
}
