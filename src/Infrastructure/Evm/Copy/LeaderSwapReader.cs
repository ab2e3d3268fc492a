using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Evm.Swaps;

namespace VantaBot.Infrastructure.Evm.Copy;

/// <summary>What a leader's swap moved: the one token that left the wallet and the one that arrived, in raw units.</summary>
public sealed record LeaderSwapFlows(EvmAddress Leader, EvmAddress TokenIn, BigInteger AmountIn, EvmAddress TokenOut, BigInteger AmountOut);

/// <summary>
/// Reads a leader's swap from its receipt by the ERC-20 <c>Transfer</c> logs, not from the router's call data: what
/// actually left and reached the wallet (fee-on-transfer tokens, multi-hop paths and every router function that sends
/// tokens back to the caller read the same way). A transaction counts only when it succeeded, was sent by the leader to
/// one of the chain's routers, and moved exactly one token out of the wallet and one other into it.
/// </summary>
public static class LeaderSwapReader
{
    private static readonly EvmHash TransferTopic = EvmHash.FromBytes(UniswapContracts.Transfer.Topic0);

    /// <summary>The <c>Transfer</c> event's topic 0.</summary>
    public static EvmHash Transfer => TransferTopic;

    /// <summary>An address as an indexed topic (left-padded to 32 bytes).</summary>
    public static EvmHash Topic(EvmAddress address) => EvmHash.FromBytes([.. new byte[12], .. address.ToBytes()]);

    public static bool TryRead(EvmReceipt receipt, EvmAddress leader, IReadOnlySet<EvmAddress> routers, out LeaderSwapFlows? flows, out string skipReason)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(routers);
        flows = null;
        if (!receipt.Succeeded)
        {
            skipReason = "the transaction reverted";
            return false;
        }

        if (receipt.From != leader)
        {
            skipReason = $"sent by {receipt.From}, not by the leader";
            return false;
        }

        if (receipt.To is not { } to || !routers.Contains(to))
        {
            skipReason = $"sent to {receipt.To?.ToString() ?? "a new contract"}, not to a configured router";
            return false;
        }

        var net = new Dictionary<EvmAddress, BigInteger>();
        var leaderTopic = Topic(leader);
        foreach (var log in receipt.Logs)
        {
            if (log.Removed || log.Topics.Count != 3 || log.Topics[0] != TransferTopic || log.Data.Length != 32)
            {
                continue; // not an ERC-20 Transfer (ERC-721's has a fourth, indexed topic and no data)
            }

            var value = new BigInteger(log.Data, isUnsigned: true, isBigEndian: true);
            if (log.Topics[1] == leaderTopic)
            {
                net[log.Address] = net.GetValueOrDefault(log.Address) - value;
            }

            if (log.Topics[2] == leaderTopic)
            {
                net[log.Address] = net.GetValueOrDefault(log.Address) + value;
            }
        }

        var spent = net.Where(n => n.Value < 0).ToArray();
        var received = net.Where(n => n.Value > 0).ToArray();
        if (spent.Length != 1 || received.Length != 1)
        {
            // Native coin in or out (no Transfer of it), liquidity moves, several tokens: nothing a follower can mirror as one swap.
            skipReason = $"moved {spent.Length} token(s) out of the wallet and {received.Length} in; a mirrored swap needs one of each";
            return false;
        }

        flows = new LeaderSwapFlows(leader, spent[0].Key, -spent[0].Value, received[0].Key, received[0].Value);
        skipReason = "";
        return true;
    }
}
