using System.Numerics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Abi;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Persistence.EvmTransactions;

namespace VantaBot.Infrastructure.Evm.Transactions;

/// <summary>What the chain says about a pending transaction's nonce.</summary>
public enum EvmTxSighting
{
    /// <summary>No attempt is mined and the node knows none of them (never broadcast, or dropped from its pool).</summary>
    Unknown,

    /// <summary>An attempt is in the node's pool, none mined.</summary>
    InPool,

    /// <summary>An attempt is mined but not yet as deep as the chain's confirmation count.</summary>
    MinedUnconfirmed,

    /// <summary>
    /// The nonce is spent by a transaction that is none of ours, in a block not yet as deep as the chain's confirmation
    /// count: a reorganisation could still undo that spend and let one of our attempts be mined instead.
    /// </summary>
    SpentUnconfirmed,

    /// <summary>Settled: final state stored (Succeeded, Reverted or Dropped).</summary>
    Settled,
}

/// <summary>One look at a transaction: the sighting, and the outcome when it is settled.</summary>
public sealed record EvmTxInspection(EvmTxSighting Sighting, EvmTxOutcome? Outcome);

/// <summary>
/// Looks at one transaction on chain and settles it when its nonce is spent: by one of its attempts (receipt with the
/// chain's confirmations: Succeeded or Reverted, the revert reason replayed with eth_call) or by something else
/// (Dropped). Shared by WaitAsync, ResolveAsync and the monitor; the store's state guard makes them agree.
/// </summary>
public sealed class EvmTransactionInspector(
    IEvmRpcClients clients,
    IOptions<ChainsOptions> chains,
    IServiceScopeFactory scopes,
    EvmTransactionMetrics metrics,
    ILogger<EvmTransactionInspector> logger)
{
    public Task<EvmTxInspection> InspectAsync(StoredEvmTransaction transaction, CancellationToken cancellationToken) =>
        InspectAsync(transaction, neverAccepted: false, cancellationToken);

    /// <param name="neverAccepted">
    /// True when no node ever accepted any of the transaction's attempts (its only attempt was just refused): nothing of
    /// ours can be mined after a reorganisation, so a foreign spend of the nonce is final at once.
    /// </param>
    public async Task<EvmTxInspection> InspectAsync(StoredEvmTransaction transaction, bool neverAccepted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var record = transaction.Record;
        var client = Client(record.Chain);
        if (record.State != EvmTxState.Pending)
        {
            return new EvmTxInspection(EvmTxSighting.Settled, await OutcomeOfSettledAsync(client, transaction, cancellationToken));
        }

        var mined = await FindReceiptAsync(client, transaction, cancellationToken);
        if (mined is null && await client.GetTransactionCountAsync(record.From, BlockTag.Latest, cancellationToken) > record.Nonce)
        {
            // The nonce is spent. Look once more: one of ours may have been mined between the receipt poll and the count.
            mined = await FindReceiptAsync(client, transaction, cancellationToken);
            if (mined is null)
            {
                // A spent nonce without a receipt of ours is not yet proof that something else spent it: a node can count
                // the nonce before the block's receipts can be read (anvil does, measured), and behind one RPC URL two
                // nodes can be a block apart. Dropped only when the node knows none of our attempts; otherwise one of
                // them spent the nonce and its receipt settles it on a later look.
                if (await FindKnownAttemptAsync(client, record, cancellationToken) is { } known)
                {
                    logger.LogDebug("EVM {Chain}: transaction {Id} (nonce {Nonce}) spent its nonce as {Hash}; its receipt is not readable yet", record.Chain, record.Id, record.Nonce, known.Hash);
                    return new EvmTxInspection(known.BlockNumber is null ? EvmTxSighting.InPool : EvmTxSighting.MinedUnconfirmed, null);
                }

                // Settling Dropped gives the money held for the transaction back, so the foreign spend must be as final
                // as a receipt of ours would have to be: as deep as the chain's confirmation count.
                if (!neverAccepted && !await SpentAtConfirmationDepthAsync(client, record, cancellationToken))
                {
                    return new EvmTxInspection(EvmTxSighting.SpentUnconfirmed, null);
                }

                var detail = $"nonce {record.Nonce} was used by a transaction that is none of its {record.AttemptHashes.Count} attempt(s)";
                logger.LogWarning("EVM {Chain}: transaction {Id} ({Purpose}) dropped: {Detail}", record.Chain, record.Id, record.Purpose, detail);
                var dropped = await SettleAsync(record.Id, EvmTxState.Dropped, null, detail, cancellationToken);
                return new EvmTxInspection(EvmTxSighting.Settled, await OutcomeOfSettledAsync(client, dropped, cancellationToken));
            }
        }

        if (mined is { } receipt)
        {
            var head = await client.GetBlockNumberAsync(cancellationToken);
            if (receipt.ConfirmationsAt(head) < Options(record.Chain).EffectiveConfirmations)
            {
                return new EvmTxInspection(EvmTxSighting.MinedUnconfirmed, null);
            }

            var reason = receipt.Succeeded ? null : await ReplayRevertAsync(client, transaction, receipt, cancellationToken);
            var settled = await SettleAsync(record.Id, receipt.Succeeded ? EvmTxState.Succeeded : EvmTxState.Reverted, receipt.TransactionHash, reason, cancellationToken);
            logger.LogInformation("EVM {Chain}: transaction {Id} ({Purpose}, nonce {Nonce}) {State} in {Hash}", record.Chain, record.Id, record.Purpose, record.Nonce, settled.Record.State, receipt.TransactionHash);
            return new EvmTxInspection(EvmTxSighting.Settled, await OutcomeOfSettledAsync(client, settled, cancellationToken));
        }

        return await FindKnownAttemptAsync(client, record, cancellationToken) is null
            ? new EvmTxInspection(EvmTxSighting.Unknown, null)
            : new EvmTxInspection(EvmTxSighting.InPool, null);
    }

    /// <summary>Whether the nonce is spent in the block that is the chain's confirmation count deep (the head at 1).</summary>
    private async Task<bool> SpentAtConfirmationDepthAsync(IEvmRpcClient client, EvmTxRecord record, CancellationToken cancellationToken)
    {
        var confirmations = Options(record.Chain).EffectiveConfirmations;
        if (confirmations <= 1)
        {
            return true;
        }

        var deep = await client.GetBlockNumberAsync(cancellationToken) - (confirmations - 1);
        return deep >= 0 && await client.GetTransactionCountAsync(record.From, BlockTag.Number(deep), cancellationToken) > record.Nonce;
    }

    /// <summary>The first of the transaction's attempts (latest first) the node knows, in its pool or in a block; null when it knows none.</summary>
    private static async Task<EvmTransaction?> FindKnownAttemptAsync(IEvmRpcClient client, EvmTxRecord record, CancellationToken cancellationToken)
    {
        foreach (var hash in record.AttemptHashes.Reverse())
        {
            if (await client.GetTransactionByHashAsync(hash, cancellationToken) is { } known)
            {
                return known;
            }
        }

        return null;
    }

    /// <summary>The outcome of a stored, settled transaction (the receipt fetched again for a mined one).</summary>
    public static async Task<EvmTxOutcome> OutcomeOfSettledAsync(IEvmRpcClient client, StoredEvmTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(transaction);
        var record = transaction.Record;
        var receipt = record.MinedHash is { } hash ? await client.GetTransactionReceiptAsync(hash, cancellationToken) : null;
        return new EvmTxOutcome(record, receipt, record.State == EvmTxState.Reverted ? record.Detail : null);
    }

    public IEvmRpcClient Client(string chain) =>
        clients.Find(chain) ?? throw new InvalidOperationException($"EVM chain '{chain}' is not configured (Chains__{chain}__*).");

    public ChainOptions Options(string chain) =>
        chains.Value.Chains.GetValueOrDefault(chain) ?? throw new InvalidOperationException($"EVM chain '{chain}' is not configured (Chains__{chain}__*).");

    public async Task<StoredEvmTransaction> SettleAsync(Guid id, EvmTxState state, EvmHash? minedHash, string? detail, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return Count(await scope.ServiceProvider.GetRequiredService<EvmTransactionStore>().SettleAsync(id, state, minedHash, detail, cancellationToken));
    }

    /// <summary>Counts a settlement once, by the settler that ended it.</summary>
    public StoredEvmTransaction Count(EvmSettlement settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        if (settlement.Claimed)
        {
            metrics.Settled(settlement.Transaction.Record.Chain, settlement.Transaction.Record.State);
        }

        return settlement.Transaction;
    }

    private static async Task<EvmReceipt?> FindReceiptAsync(IEvmRpcClient client, StoredEvmTransaction transaction, CancellationToken cancellationToken)
    {
        // Latest first: the replacement is the likelier one to have been mined.
        foreach (var attempt in transaction.Attempts.Reverse())
        {
            if (await client.GetTransactionReceiptAsync(attempt.Hash, cancellationToken) is { } receipt)
            {
                return receipt;
            }
        }

        return null;
    }

    /// <summary>
    /// Receipts carry no revert data, so the call is replayed with eth_call on the state its block started from.
    /// Transactions earlier in the same block are not replayed, so the reason can differ when one of them changed
    /// what the call depends on; it is a diagnostic, the receipt's status is the verdict.
    /// </summary>
    private async Task<string> ReplayRevertAsync(IEvmRpcClient client, StoredEvmTransaction transaction, EvmReceipt receipt, CancellationToken cancellationToken)
    {
        var attempt = transaction.Attempts.FirstOrDefault(a => a.Hash == receipt.TransactionHash) ?? transaction.Latest;
        var signed = SignedTransaction.Decode(attempt.Raw).Transaction;
        if (signed.To is not { } to)
        {
            return "contract creation reverted";
        }

        var call = new EvmCallRequest(to, signed.Data) { From = transaction.Record.From, Value = signed.Value, Gas = signed.GasLimit };
        try
        {
            await client.CallAsync(call, BlockTag.Number(BigInteger.Max(BigInteger.Zero, receipt.BlockNumber - 1)), cancellationToken);
            return "reverted (the replay did not revert: the state it depended on changed within its block)";
        }
        catch (EvmRpcException ex) when (ex.IsRevert || ex.RevertData is not null)
        {
            return RevertReason.Decode(ex.RevertData);
        }
        catch (EvmRpcException ex)
        {
            logger.LogWarning("EVM {Chain}: replaying reverted transaction {Hash} failed: {Error}", client.Chain, receipt.TransactionHash, ex.RpcMessage);
            return "reverted (reason unavailable)";
        }
    }
}
