namespace VantaBot.Trading.Swaps;

/// <summary>
/// A token the deployment lets traders swap on one chain. <see cref="Address"/> is the chain's own spelling
/// (checksummed 0x… on EVM). <see cref="UsdPriceSymbol"/> names the feed pair that values it in USD ("ETH" for WETH,
/// "USD" for a stablecoin); null when no feed values it, which leaves USD-based limits out for that token.
/// </summary>
public sealed record SwapToken(string Symbol, string Address, int Decimals, string? UsdPriceSymbol = null);

/// <summary>A chain swaps can run on, with its tokens and the symbol of its native coin (gas).</summary>
public sealed record SwapChain(string Name, IReadOnlyList<SwapToken> Tokens, string NativeSymbol = "ETH")
{
    public SwapToken? Find(string symbol) =>
        Tokens.FirstOrDefault(t => string.Equals(t.Symbol, symbol, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The chains and tokens configured for swaps (none on the embedded default).</summary>
public interface ISwapCatalog
{
    IReadOnlyList<SwapChain> Chains { get; }

    /// <summary>The chain used when an order names none: the only one, or the configured default.</summary>
    SwapChain? DefaultChain { get; }

    SwapChain? FindChain(string name);
}
