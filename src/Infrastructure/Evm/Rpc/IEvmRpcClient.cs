using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Rpc;

/// <summary>
/// JSON-RPC 2.0 to one chain, over its configured endpoints with failover. Throws <see cref="EvmRpcException"/> when the
/// node answers with an error (its verdict, not retried elsewhere) and <see cref="EvmRpcUnavailableException"/> when no
/// endpoint answers.
/// </summary>
public interface IEvmRpcClient
{
    /// <summary>The configured chain name (e.g. "base").</summary>
    string Chain { get; }

    /// <summary>The configured chain id (what the node reports is <see cref="GetChainIdAsync"/>).</summary>
    long ChainId { get; }

    Task<long> GetChainIdAsync(CancellationToken cancellationToken);

    Task<BigInteger> GetBlockNumberAsync(CancellationToken cancellationToken);

    /// <summary>The block, or null when the node does not have it (a number beyond the head).</summary>
    Task<EvmBlock?> GetBlockAsync(BlockTag block, CancellationToken cancellationToken);

    Task<BigInteger> GetTransactionCountAsync(EvmAddress address, BlockTag block, CancellationToken cancellationToken);

    Task<BigInteger> GetBalanceAsync(EvmAddress address, BlockTag block, CancellationToken cancellationToken);

    Task<byte[]> CallAsync(EvmCallRequest call, BlockTag block, CancellationToken cancellationToken);

    Task<BigInteger> EstimateGasAsync(EvmCallRequest call, CancellationToken cancellationToken);

    /// <summary>The node's suggested tip; the configured <c>PriorityFeeGwei</c> when the node has no such method.</summary>
    Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Broadcasts a signed transaction and returns its hash. Idempotent: a node that already knows the transaction
    /// ("already known", or it is findable by its hash) counts as success, so a re-broadcast after a crash is safe.
    /// </summary>
    Task<EvmHash> SendRawTransactionAsync(byte[] rawTransaction, CancellationToken cancellationToken);

    /// <summary>The receipt, or null while the transaction is pending or unknown.</summary>
    Task<EvmReceipt?> GetTransactionReceiptAsync(EvmHash hash, CancellationToken cancellationToken);

    /// <summary>The transaction, or null when the node does not know it (never sent, or dropped from the pool).</summary>
    Task<EvmTransaction?> GetTransactionByHashAsync(EvmHash hash, CancellationToken cancellationToken);

    Task<IReadOnlyList<EvmLog>> GetLogsAsync(EvmLogFilter filter, CancellationToken cancellationToken);

    /// <summary>Asks every endpoint directly (no failover) for its chain id and head: for the readiness check.</summary>
    Task<IReadOnlyList<EvmEndpointProbe>> ProbeEndpointsAsync(CancellationToken cancellationToken);
}
