using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Trading.Swaps;

namespace VantaBot.Infrastructure.Evm.Swaps;

/// <summary>
/// The swap chains of the configured EVM chains: every chain that offers a Uniswap router, with its listed ERC-20
/// tokens (addresses checksummed, so they compare and display one way). Built once from validated options.
/// </summary>
public sealed class ChainSwapCatalog : ISwapCatalog
{
    private readonly Dictionary<string, SwapChain> _byName;

    public ChainSwapCatalog(IOptions<ChainsOptions> chains, IOptions<SwapOptions> swaps)
    {
        Chains = chains.Value.Chains
            .Where(c => c.Value.Routers.OffersSwaps)
            .OrderBy(c => c.Key, StringComparer.OrdinalIgnoreCase)
            .Select(c => ToSwapChain(c.Key, c.Value))
            .ToArray();
        _byName = Chains.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        DefaultChain = swaps.Value.DefaultChain is { Length: > 0 } name
            ? FindChain(name)
            : Chains.Count == 1 ? Chains[0] : null;
    }

    public IReadOnlyList<SwapChain> Chains { get; }

    public SwapChain? DefaultChain { get; }

    public SwapChain? FindChain(string name) => _byName.GetValueOrDefault(name);

    private static SwapChain ToSwapChain(string name, ChainOptions chain) =>
        new(
            name,
            chain.Tokens
                .OrderBy(t => t.Key, StringComparer.OrdinalIgnoreCase)
                .Select(t => new SwapToken(
                    t.Key,
                    EvmAddress.Parse(t.Value.Address).ToString(),
                    t.Value.Decimals,
                    string.IsNullOrWhiteSpace(t.Value.PriceSymbol) ? null : t.Value.PriceSymbol.Trim().ToUpperInvariant()))
                .ToArray(),
            chain.NativeSymbol);
}

/// <summary><c>Swaps__DefaultChain</c> must name a configured chain that offers a router; checked at start.</summary>
public sealed class SwapDefaultChainValidator(IOptions<ChainsOptions> chains) : IValidateOptions<SwapOptions>
{
    public ValidateOptionsResult Validate(string? name, SwapOptions options)
    {
        if (options.DefaultChain is not { Length: > 0 } chain)
        {
            return ValidateOptionsResult.Success;
        }

        var swapChains = chains.Value.Chains.Where(c => c.Value.Routers.OffersSwaps).Select(c => c.Key).Order(StringComparer.OrdinalIgnoreCase).ToArray();
        if (swapChains.Contains(chain, StringComparer.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Success;
        }

        var known = swapChains.Length == 0
            ? "no configured chain has a Uniswap router (Chains__<name>__Routers__…)"
            : "swap chains: " + string.Join(", ", swapChains);
        return ValidateOptionsResult.Fail($"Swaps__DefaultChain: '{chain}' is not a chain with a Uniswap router ({known}).");
    }
}
