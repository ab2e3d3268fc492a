using System.Collections.Concurrent;
using System.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Abi;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Trading.Swaps;

namespace VantaBot.Infrastructure.Evm.Swaps;

/// <summary>
/// Quotes an exact-input single-hop swap on every Uniswap route the chain offers — V2 Router02's getAmountsOut and
/// V3 QuoterV2's quoteExactInputSingle for each configured fee tier — and returns the one paying out the most.
/// A route without a pool reverts and is skipped; no route at all is a <see cref="SwapQuoteResult.None"/> with the
/// reason. The winner gets its price impact (see <see cref="PriceImpact"/>) and a gas figure in the native coin at
/// the latest block's base fee plus the node's tip.
/// </summary>
public sealed class UniswapQuoter(IOptions<ChainsOptions> chains, IEvmRpcClients clients, TimeProvider time, ILogger<UniswapQuoter> logger) : ISwapQuoter
{
    /// <summary>
    /// Gas of an exact ERC-20 approval, counted in every swap's estimate: approvals are never unlimited, so each swap
    /// needs its own. Measured ≈46k on anvil from a zero allowance; rounded up for tokens with heavier bookkeeping.
    /// </summary>
    public const long ApproveGas = 60_000;

    /// <summary>
    /// A single-hop V2 swapExactTokensForTokens: ≈131k measured on anvil to a wallet already holding the output token,
    /// ≈20k more for a first-time holder (a fresh storage slot); rounded up.
    /// </summary>
    public const long V2SwapGas = 170_000;

    /// <summary>
    /// What a V3 swap costs beyond the pool's own work that QuoterV2's gasEstimate measures: the transaction's 21k,
    /// call data, the router and the token transfers (≈30k measured on anvil, ≈20k more for a first-time holder), rounded up.
    /// </summary>
    public const long V3RouterOverheadGas = 70_000;

    private readonly ConcurrentDictionary<EvmAddress, EvmAddress> _factories = new();

    public async Task<SwapQuoteResult> QuoteAsync(string chain, SwapToken tokenIn, SwapToken tokenOut, TokenAmount amountIn, CancellationToken cancellationToken)
    {
        if (!chains.Value.Chains.TryGetValue(chain, out var settings) || clients.Find(chain) is not { } rpc)
        {
            return SwapQuoteResult.None($"'{chain}' is not a configured chain.");
        }

        if (!settings.Routers.OffersSwaps)
        {
            return SwapQuoteResult.None($"no Uniswap router is configured on {chain}.");
        }

        var pair = new TokenPair(EvmAddress.Parse(tokenIn.Address), EvmAddress.Parse(tokenOut.Address));
        try
        {
            var candidates = await Task.WhenAll(Routes(settings.Routers).Select(r => QuoteRouteAsync(rpc, settings.Routers, r, pair, amountIn.Raw, cancellationToken)));
            var best = candidates.Where(c => c is not null).OrderByDescending(c => c!.AmountOut).FirstOrDefault();
            if (best is null)
            {
                var tried = string.Join(", ", Routes(settings.Routers).Select(r => r.Name));
                return SwapQuoteResult.None($"no Uniswap pool with liquidity for {tokenIn.Symbol}/{tokenOut.Symbol} on {chain} (tried {tried}).");
            }

            var impact = await PriceImpactAsync(rpc, settings.Routers, best, pair, amountIn.Raw, cancellationToken);
            var gas = best.PoolGas + ApproveGas;
            var gasPrice = await GasPriceAsync(rpc, cancellationToken);
            return SwapQuoteResult.Of(new SwapQuote(
                chain,
                best.Route.Name,
                tokenIn,
                tokenOut,
                amountIn,
                new TokenAmount(best.AmountOut, tokenOut.Decimals),
                impact,
                gas,
                new TokenAmount(gas * gasPrice, 18),
                settings.NativeSymbol,
                time.GetUtcNow()));
        }
        catch (EvmRpcUnavailableException ex)
        {
            logger.LogWarning("Quote {TokenIn}/{TokenOut} on {Chain} failed: {Problem}", tokenIn.Symbol, tokenOut.Symbol, chain, ex.Message);
            return SwapQuoteResult.None($"the {chain} RPC endpoints did not answer; try again shortly.");
        }
    }

    private static IEnumerable<UniswapRoute> Routes(ChainRouters routers)
    {
        if (routers.OffersUniswapV2)
        {
            yield return UniswapRoute.V2;
        }

        if (routers.OffersUniswapV3)
        {
            foreach (var fee in routers.EffectiveUniswapV3Fees)
            {
                yield return UniswapRoute.V3(fee);
            }
        }
    }

    private async Task<RouteQuote?> QuoteRouteAsync(
        IEvmRpcClient rpc, ChainRouters routers, UniswapRoute route, TokenPair pair, BigInteger amountIn, CancellationToken cancellationToken)
    {
        try
        {
            if (route.Version == UniswapVersion.V2)
            {
                var output = await rpc.CallAsync(
                    new EvmCallRequest(EvmAddress.Parse(routers.UniswapV2Router!), UniswapContracts.V2QuoteCall(amountIn, pair.In, pair.Out)), BlockTag.Latest, cancellationToken);
                var amounts = (object?[])UniswapContracts.V2GetAmountsOut.DecodeOutput(output)[0]!;
                var v2Out = (BigInteger)amounts[^1]!;
                return v2Out.Sign > 0 ? new RouteQuote(route, v2Out, V2SwapGas) : null;
            }

            var quoted = UniswapContracts.V3QuoteExactInputSingle.DecodeOutput(await rpc.CallAsync(
                new EvmCallRequest(EvmAddress.Parse(routers.UniswapV3Quoter!), UniswapContracts.V3QuoteCall(pair.In, pair.Out, amountIn, route.Fee)), BlockTag.Latest, cancellationToken));
            var v3Out = (BigInteger)quoted[0]!;
            var poolGas = (long)BigInteger.Min((BigInteger)quoted[3]!, 10_000_000);
            return v3Out.Sign > 0 ? new RouteQuote(route, v3Out, poolGas + V3RouterOverheadGas) : null;
        }
        catch (EvmRpcException ex) when (ex.IsRevert)
        {
            // No pool on this route (or no liquidity): the router or quoter reverts. Another route may still serve.
            logger.LogDebug("No {Route} quote for {TokenIn}/{TokenOut} on {Chain}: {Reason}", route.Name, pair.In, pair.Out, rpc.Chain, RevertReason.Decode(ex.RevertData));
            return null;
        }
        catch (AbiDecodingException ex)
        {
            logger.LogWarning("The {Route} quote on {Chain} answered something undecodable: {Problem}", route.Name, rpc.Chain, ex.Message);
            return null;
        }
    }

    private async Task<decimal> PriceImpactAsync(
        IEvmRpcClient rpc, ChainRouters routers, RouteQuote best, TokenPair pair, BigInteger amountIn, CancellationToken cancellationToken)
    {
        if (best.Route.Version == UniswapVersion.V2)
        {
            var v2Factory = await FactoryAsync(rpc, EvmAddress.Parse(routers.UniswapV2Router!), UniswapContracts.V2Factory, cancellationToken);
            var pairAddress = await AddressCallAsync(rpc, v2Factory, UniswapContracts.V2GetPair, UniswapContracts.V2GetPair.EncodeCall(pair.In, pair.Out), cancellationToken);
            var reserves = UniswapContracts.V2GetReserves.DecodeOutput(await rpc.CallAsync(new EvmCallRequest(pairAddress, UniswapContracts.V2GetReserves.EncodeCall()), BlockTag.Latest, cancellationToken));
            var inIsToken0 = pair.In == await AddressCallAsync(rpc, pairAddress, UniswapContracts.V2Token0, UniswapContracts.V2Token0.EncodeCall(), cancellationToken);
            var (reserveIn, reserveOut) = inIsToken0 ? ((BigInteger)reserves[0]!, (BigInteger)reserves[1]!) : ((BigInteger)reserves[1]!, (BigInteger)reserves[0]!);
            return PriceImpact.FromReserves(amountIn, best.AmountOut, reserveIn, reserveOut, best.Route.Fee);
        }

        var v3Factory = await FactoryAsync(rpc, EvmAddress.Parse(routers.UniswapV3Quoter!), UniswapContracts.V3Factory, cancellationToken);
        var pool = await AddressCallAsync(rpc, v3Factory, UniswapContracts.V3GetPool, UniswapContracts.V3GetPool.EncodeCall(pair.In, pair.Out, new BigInteger(best.Route.Fee)), cancellationToken);
        var slot0 = UniswapContracts.V3Slot0.DecodeOutput(await rpc.CallAsync(new EvmCallRequest(pool, UniswapContracts.V3Slot0.EncodeCall()), BlockTag.Latest, cancellationToken));
        var zeroForOne = string.CompareOrdinal(pair.In.LowerHex, pair.Out.LowerHex) < 0;
        return PriceImpact.FromSqrtPrice(amountIn, best.AmountOut, (BigInteger)slot0[0]!, zeroForOne, best.Route.Fee);
    }

    /// <summary>A router's or quoter's factory is immutable: read once per contract.</summary>
    private async Task<EvmAddress> FactoryAsync(IEvmRpcClient rpc, EvmAddress contract, AbiFunction factory, CancellationToken cancellationToken)
    {
        if (_factories.TryGetValue(contract, out var known))
        {
            return known;
        }

        var address = await AddressCallAsync(rpc, contract, factory, factory.EncodeCall(), cancellationToken);
        return _factories.GetOrAdd(contract, address);
    }

    private static async Task<EvmAddress> AddressCallAsync(IEvmRpcClient rpc, EvmAddress to, AbiFunction function, byte[] data, CancellationToken cancellationToken) =>
        (EvmAddress)function.DecodeOutput(await rpc.CallAsync(new EvmCallRequest(to, data), BlockTag.Latest, cancellationToken))[0]!;

    /// <summary>What a unit of gas costs now: the latest base fee plus the tip the node suggests.</summary>
    private static async Task<BigInteger> GasPriceAsync(IEvmRpcClient rpc, CancellationToken cancellationToken)
    {
        var block = await rpc.GetBlockAsync(BlockTag.Latest, cancellationToken);
        var tip = await rpc.GetMaxPriorityFeePerGasAsync(cancellationToken);
        return (block?.BaseFeePerGas ?? BigInteger.Zero) + tip;
    }

    private sealed record TokenPair(EvmAddress In, EvmAddress Out);

    private sealed record RouteQuote(UniswapRoute Route, BigInteger AmountOut, long PoolGas);
}
