using System.Numerics;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Rpc;

namespace VantaBot.Infrastructure.Evm.Transactions;

/// <summary>The two EIP-1559 fee fields of one attempt, in wei.</summary>
public sealed record EvmFees(BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas);

/// <summary>
/// One chain's fee rules. First attempt: maxFee = min(cap, 2·baseFee + tip) — twice the base fee survives six full
/// blocks of +12.5 % each before the transaction stops being includable. Replacement: both fees up by 12.5 % (nodes
/// demand ≥ 10 % on both, and a little margin absorbs rounding), never above the cap; a replacement that cannot
/// clear the 10 % bar under the cap is not offered, because the node would refuse it as underpriced anyway.
/// </summary>
public sealed class EvmGasPolicy
{
    /// <summary>Nodes (geth's txpool, anvil, reth) refuse a replacement unless both fees rise by at least this percent.</summary>
    public const int MinimumBumpPercent = 10;

    /// <summary>What this policy bumps by, in per-mille (12.5 %).</summary>
    public const int BumpPerMille = 125;

    public EvmGasPolicy(ChainOptions chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        Cap = EvmRpcClient.GweiToWei(chain.EffectiveMaxFeeCapGwei);
        DefaultTip = EvmRpcClient.GweiToWei(chain.EffectivePriorityFeeGwei);
    }

    /// <summary>The highest maxFeePerGas this chain's transactions may carry, in wei.</summary>
    public BigInteger Cap { get; }

    /// <summary>The tip used when the node suggests none.</summary>
    public BigInteger DefaultTip { get; }

    /// <summary>
    /// Fees of a first attempt from the latest block's base fee (null on a pre-London chain: then the tip alone is the
    /// price) and the node's suggested tip (null: the chain default). The tip never exceeds the max fee.
    /// </summary>
    public EvmFees Initial(BigInteger? baseFee, BigInteger? suggestedTip)
    {
        var tip = BigInteger.Min(suggestedTip is { } t && t >= 0 ? t : DefaultTip, Cap);
        var maxFee = BigInteger.Min(Cap, (2 * (baseFee ?? BigInteger.Zero)) + tip);
        return new EvmFees(maxFee, BigInteger.Min(tip, maxFee));
    }

    /// <summary>
    /// The fees of a replacement for an attempt that paid <paramref name="current"/>: each fee +12.5 % (or the
    /// current market's <see cref="Initial"/> fees when those are higher), capped; null when the cap leaves no room
    /// for a replacement the node would accept (at the cap: no more replacements).
    /// </summary>
    public EvmFees? Bump(EvmFees current, BigInteger? baseFee, BigInteger? suggestedTip)
    {
        ArgumentNullException.ThrowIfNull(current);
        var market = Initial(baseFee, suggestedTip);
        var maxFee = BigInteger.Min(Cap, BigInteger.Max(Raise(current.MaxFeePerGas), market.MaxFeePerGas));
        var tip = BigInteger.Min(maxFee, BigInteger.Max(Raise(current.MaxPriorityFeePerGas), market.MaxPriorityFeePerGas));
        return ClearsBar(current.MaxFeePerGas, maxFee) && ClearsBar(current.MaxPriorityFeePerGas, tip)
            ? new EvmFees(maxFee, tip)
            : null;
    }

    /// <summary>+12.5 %, rounded up, and at least +1 wei so a tiny fee still moves.</summary>
    private static BigInteger Raise(BigInteger fee) =>
        fee.IsZero ? BigInteger.Zero : BigInteger.Max(fee + 1, ((fee * (1000 + BumpPerMille)) + 999) / 1000);

    /// <summary>True when <paramref name="next"/> is at least 10 % above <paramref name="previous"/> (what a node checks), and above it at all.</summary>
    private static bool ClearsBar(BigInteger previous, BigInteger next) =>
        next * 100 >= previous * (100 + MinimumBumpPercent) && (next > previous || previous.IsZero);
}
