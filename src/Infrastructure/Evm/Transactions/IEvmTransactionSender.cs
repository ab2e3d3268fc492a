using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Wallets;

namespace VantaBot.Infrastructure.Evm.Transactions;

/// <summary>
/// One transaction a wallet wants on chain. <see cref="Intent"/> ties it to the order it serves, so recovery can find
/// it; <see cref="Purpose"/> says what it is ("approve", "swap") for the record and the logs.
/// </summary>
public sealed record EvmTxRequest(
    string Chain,
    WalletId Wallet,
    EvmAddress From,
    EvmAddress To,
    byte[] Data,
    BigInteger Value,
    BigInteger GasLimit,
    string Purpose,
    IntentId? Intent);

public enum EvmTxState
{
    /// <summary>Signed and persisted; maybe broadcast (the broadcast is after the persist, so a crash may fall between).</summary>
    Pending,

    /// <summary>Mined with the chain's confirmation depth and status 1.</summary>
    Succeeded,

    /// <summary>Mined with status 0 (reverted): the nonce is spent, the effect is not.</summary>
    Reverted,

    /// <summary>Its nonce was taken by a transaction that is not one of its attempts: it can never be mined.</summary>
    Dropped,
}

/// <summary>
/// A persisted transaction: one nonce, one or more signed attempts (the original and its fee-bumped replacements).
/// <see cref="Hash"/> is the latest attempt's; any attempt mined settles the transaction.
/// </summary>
public sealed record EvmTxRecord(
    Guid Id,
    string Chain,
    WalletId Wallet,
    EvmAddress From,
    BigInteger Nonce,
    EvmHash Hash,
    IReadOnlyList<EvmHash> AttemptHashes,
    string Purpose,
    IntentId? Intent,
    EvmTxState State,
    DateTimeOffset CreatedAt)
{
    /// <summary>The attempt that was mined, once the transaction is Succeeded or Reverted.</summary>
    public EvmHash? MinedHash { get; init; }

    /// <summary>
    /// Why it ended without success: the decoded revert reason (Reverted) or why it can never be mined (Dropped,
    /// e.g. the node refused it for insufficient funds, or its nonce was taken by another transaction).
    /// </summary>
    public string? Detail { get; init; }
}

/// <summary>A transaction's end: the receipt of the attempt that was mined, or why none will be.</summary>
public sealed record EvmTxOutcome(EvmTxRecord Transaction, EvmReceipt? Receipt, string? RevertReason)
{
    public bool Succeeded => Transaction.State == EvmTxState.Succeeded;
}

/// <summary>
/// The transaction queue of every (chain, address): nonces handed out one at a time, each transaction signed and
/// persisted before it is broadcast (write-ahead), stuck ones replaced with bumped fees under the chain's cap.
/// </summary>
public interface IEvmTransactionSender
{
    /// <summary>
    /// Takes the next nonce of (chain, from), signs through the key vault, persists the signed transaction, then
    /// broadcasts it. A broadcast failure after the persist is not an error: the monitor re-broadcasts.
    /// Callers must check <see cref="EvmTxRecord.State"/> of the result: Dropped means the node refused the
    /// transaction for a reason that will not pass (insufficient funds, intrinsic gas too low, over the block gas
    /// limit…; <see cref="EvmTxRecord.Detail"/> says which), it will never be mined and its nonce was given back.
    /// Pending means persisted and (probably) broadcast: wait for it.
    /// </summary>
    Task<EvmTxRecord> SubmitAsync(EvmTxRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until the transaction (or a replacement of the same nonce) is mined with the chain's confirmation depth,
    /// or is known dropped. Throws <see cref="TimeoutException"/> after <paramref name="timeout"/>; the transaction
    /// stays persisted for recovery.
    /// </summary>
    Task<EvmTxOutcome> WaitAsync(EvmTxRecord transaction, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Every transaction persisted for an intent, oldest first.</summary>
    Task<IReadOnlyList<EvmTxRecord>> FindByIntentAsync(IntentId intent, CancellationToken cancellationToken);

    /// <summary>
    /// Recovery's look at one transaction: mined → its outcome; unknown to the node with its nonce unused →
    /// re-broadcast and still pending (null); nonce used by another transaction → dropped.
    /// </summary>
    Task<EvmTxOutcome?> ResolveAsync(EvmTxRecord transaction, CancellationToken cancellationToken);
}
