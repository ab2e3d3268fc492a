using VantaBot.Infrastructure.Evm.Rpc;

namespace VantaBot.Infrastructure.Evm.Transactions;

/// <summary>
/// Hands signed bytes to the chain. A seam of its own so a test can stand in for a crash between the write-ahead
/// persist and the broadcast; production uses <see cref="RpcEvmTransactionBroadcaster"/>.
/// </summary>
public interface IEvmTransactionBroadcaster
{
    Task<EvmHash> BroadcastAsync(IEvmRpcClient client, byte[] rawTransaction, CancellationToken cancellationToken);
}

public sealed class RpcEvmTransactionBroadcaster : IEvmTransactionBroadcaster
{
    public Task<EvmHash> BroadcastAsync(IEvmRpcClient client, byte[] rawTransaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SendRawTransactionAsync(rawTransaction, cancellationToken);
    }
}

/// <summary>What a node's refusal of eth_sendRawTransaction means for the transaction.</summary>
public enum BroadcastRefusal
{
    /// <summary>Not understood: keep the transaction pending; the monitor tries again.</summary>
    Unknown,

    /// <summary>The nonce is not what the node expects ("nonce too low", "already known", "replacement underpriced"): resync the queue.</summary>
    Nonce,

    /// <summary>The node will never accept these bytes (insufficient funds, intrinsic gas too low, over the block gas limit, bad chain id…).</summary>
    Permanent,
}

/// <summary>
/// Classifies a node's refusal by its message. Node implementations (geth, reth, erigon, anvil) word these
/// differently but share the key phrases below; anything unrecognised is Unknown, never Permanent, because calling a
/// transaction dropped when it might still be mined could make the caller pay twice.
/// </summary>
public static class EvmBroadcastErrors
{
    private static readonly string[] NoncePhrases =
    [
        "nonce too low", "nonce too high", "already known", "known transaction", "replacement transaction underpriced",
        "replacement underpriced", "nonce has already been used", "invalid nonce",
    ];

    private static readonly string[] PermanentPhrases =
    [
        "insufficient funds", "intrinsic gas too low", "exceeds block gas limit", "gas limit reached", "gas limit too high",
        "invalid chain id", "invalid sender", "oversized data", "transaction type not supported", "tx fee exceeds the configured cap",
        "exceeds the configured cap", "max priority fee per gas higher than max fee per gas", "tip higher than fee cap",
        "max initcode size exceeded",
    ];

    public static BroadcastRefusal Classify(EvmRpcException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var message = refusal.RpcMessage;
        if (NoncePhrases.Any(p => message.Contains(p, StringComparison.OrdinalIgnoreCase)))
        {
            return BroadcastRefusal.Nonce;
        }

        return PermanentPhrases.Any(p => message.Contains(p, StringComparison.OrdinalIgnoreCase))
            ? BroadcastRefusal.Permanent
            : BroadcastRefusal.Unknown;
    }
}
