namespace VantaBot.Trading.Swaps;

/// <summary>
/// The swap side of a deployment without any EVM chain (the embedded default): no chains, so every swap is refused
/// as "no chain configured" before anything would be quoted or read.
/// </summary>
public sealed class NoSwapChains : ISwapCatalog, ISwapQuoter, IWalletTokenBalances
{
    public const string Reason = "no EVM chain is configured on this deployment";

    public IReadOnlyList<SwapChain> Chains => [];

    public SwapChain? DefaultChain => null;

    public SwapChain? FindChain(string name) => null;

    public Task<SwapQuoteResult> QuoteAsync(string chain, SwapToken tokenIn, SwapToken tokenOut, TokenAmount amountIn, CancellationToken cancellationToken) =>
        Task.FromResult(SwapQuoteResult.None(Reason + "."));

    public Task<TokenAmount> BalanceOfAsync(string chain, string walletAddress, SwapToken token, CancellationToken cancellationToken) =>
        Task.FromResult(new TokenAmount(0, token.Decimals));

    public Task<TokenAmount> NativeBalanceAsync(string chain, string walletAddress, CancellationToken cancellationToken) =>
        Task.FromResult(new TokenAmount(0, 18));
}
