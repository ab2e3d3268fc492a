using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Trading.Swaps;

namespace VantaBot.Infrastructure.Evm.Swaps;

/// <summary>
/// A wallet's balances read from the chain at the latest block on every call: they decide whether a swap may be
/// placed, so a cached figure could let two swaps spend the same tokens.
/// </summary>
public sealed class RpcWalletTokenBalances(IEvmRpcClients clients) : IWalletTokenBalances
{
    /// <summary>Every EVM native coin the bot supports (ETH on Ethereum and its L2s) has 18 decimals.</summary>
    public const int NativeDecimals = 18;

    public async Task<TokenAmount> BalanceOfAsync(string chain, string walletAddress, SwapToken token, CancellationToken cancellationToken)
    {
        var rpc = Client(chain);
        var output = await rpc.CallAsync(
            new EvmCallRequest(EvmAddress.Parse(token.Address), UniswapContracts.BalanceOf.EncodeCall(EvmAddress.Parse(walletAddress))), BlockTag.Latest, cancellationToken);
        return new TokenAmount((BigInteger)UniswapContracts.BalanceOf.DecodeOutput(output)[0]!, token.Decimals);
    }

    public async Task<TokenAmount> NativeBalanceAsync(string chain, string walletAddress, CancellationToken cancellationToken) =>
        new(await Client(chain).GetBalanceAsync(EvmAddress.Parse(walletAddress), BlockTag.Latest, cancellationToken), NativeDecimals);

    // The swap path resolves the chain through the catalog first, so an unknown one here is a bug, not an input error.
    private IEvmRpcClient Client(string chain) =>
        clients.Find(chain) ?? throw new InvalidOperationException($"'{chain}' is not a configured EVM chain.");
}
