using Microsoft.Extensions.Logging;
using VantaBot.Trading.Wallets;

namespace VantaBot.Trading.Swaps;

/// <summary>
/// What <c>/wallet</c> shows when chains are configured: per swap chain, the native coin and every listed token, read
/// fresh from the chain. A chain that cannot be read says why while the other chains still show, so an RPC outage is
/// never mistaken for an empty wallet.
/// </summary>
public sealed class ChainWalletBalances(ISwapCatalog catalog, IWalletTokenBalances balances, ILogger<ChainWalletBalances> logger) : IWalletBalances
{
    public async Task<WalletBalancesResult> ReadAsync(Wallet wallet, CancellationToken cancellationToken)
    {
        if (catalog.Chains.Count == 0)
        {
            return new WalletBalancesResult.Unavailable(NoEvmChainsConfigured.Reason);
        }

        var chains = await Task.WhenAll(catalog.Chains.Select(chain => ReadChainAsync(chain, wallet.Address, cancellationToken)));
        return new WalletBalancesResult.Available(chains);
    }

    private async Task<ChainBalances> ReadChainAsync(SwapChain chain, string address, CancellationToken cancellationToken)
    {
        try
        {
            var native = balances.NativeBalanceAsync(chain.Name, address, cancellationToken);
            var tokens = chain.Tokens.Select(t => balances.BalanceOfAsync(chain.Name, address, t, cancellationToken)).ToArray();
            var nativeAmount = await native;
            var tokenAmounts = await Task.WhenAll(tokens);
            var shown = new List<TokenBalance> { new(chain.NativeSymbol, nativeAmount.Raw, nativeAmount.Decimals) };
            shown.AddRange(chain.Tokens.Zip(tokenAmounts, (token, amount) => new TokenBalance(token.Symbol, amount.Raw, amount.Decimals)));
            return new ChainBalances(chain.Name, shown);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The reason names the chain's trouble, never the RPC URL (it may carry an API key): the log has the detail.
            logger.LogWarning(ex, "Reading wallet balances on {Chain} failed", chain.Name);
            return new ChainBalances(chain.Name, [], "the chain did not answer; try again shortly");
        }
    }
}
