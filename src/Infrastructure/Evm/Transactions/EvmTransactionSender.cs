using System.Collections.Concurrent;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.KeyVault;
using VantaBot.Infrastructure.Persistence.EvmTransactions;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Wallets;

namespace VantaBot.Infrastructure.Evm.Transactions;

/// <summary>
/// The transaction queue. Per (chain, from) one submission at a time in this process (a semaphore); across
/// processes the nonce row's lock in <see cref="EvmTransactionStore.AllocateAsync"/>. The nonce is resynced from the
/// chain on a queue's first use and after any nonce refusal. Every attempt is stored before it is broadcast, so a
/// crash between the two loses nothing: the monitor (or recovery's <see cref="ResolveAsync"/>) re-broadcasts it.
/// </summary>
public sealed class EvmTransactionSender(
    EvmTransactionInspector inspector,
    EvmGasPolicies policies,
    IEvmTransactionBroadcaster broadcaster,
    IServiceScopeFactory scopes,
    EvmTransactionMetrics metrics,
    TimeProvider time,
    ILogger<EvmTransactionSender> logger) : IEvmTransactionSender
{
    private readonly ConcurrentDictionary<(string Chain, EvmAddress From), SenderQueue> _queues = new();

    public async Task<EvmTxRecord> SubmitAsync(EvmTxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = inspector.Client(request.Chain);
        var policy = policies.For(request.Chain);
        var queue = _queues.GetOrAdd((client.Chain.ToLowerInvariant(), request.From), _ => new SenderQueue());
        request = request with { Chain = client.Chain };
        var gasLimit = request.GasLimit > 0 ? request.GasLimit : await EstimateGasAsync(client, request, cancellationToken);

        await queue.Gate.WaitAsync(cancellationToken);
        try
        {
            // At most one retry: a nonce refusal means a foreign transaction took the nonce; the retry resyncs past it.
            for (var attempt = 1; ; attempt++)
            {
                var stored = await AllocateAsync(client, policy, queue, request, gasLimit, cancellationToken);
                var refusal = await BroadcastAsync(client, stored, stored.Latest, cancellationToken);
                if (refusal != BroadcastRefusal.Nonce)
                {
                    // Sent, or stored for the monitor to send, or refused for good (then settled Dropped: read it back).
                    return refusal == BroadcastRefusal.Permanent ? (await FindStoredAsync(stored.Record.Id, cancellationToken)).Record : stored.Record;
                }

                queue.NeedsResync = true;
                // Its only attempt was just refused, so no node holds it: a foreign spend of the nonce is final now.
                var inspection = await inspector.InspectAsync(stored, neverAccepted: true, cancellationToken);
                if (inspection.Sighting != EvmTxSighting.Settled || inspection.Outcome!.Transaction.State != EvmTxState.Dropped || attempt == 2)
                {
                    // Still ours to settle (e.g. a foreign transaction of the same nonce waits in the pool): the monitor decides.
                    return inspection.Outcome?.Transaction ?? stored.Record;
                }
            }
        }
        finally
        {
            queue.Gate.Release();
        }
    }

    public async Task<EvmTxOutcome> WaitAsync(EvmTxRecord transaction, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var poll = TimeSpan.FromTicks(Math.Min(inspector.Options(transaction.Chain).EffectiveMonitorInterval.Ticks, TimeSpan.FromSeconds(1).Ticks));
        try
        {
            while (true)
            {
                var stored = await FindStoredAsync(transaction.Id, linked.Token);
                var inspection = await inspector.InspectAsync(stored, linked.Token);
                if (inspection.Outcome is { } outcome)
                {
                    return outcome;
                }

                await Task.Delay(poll, time, linked.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"EVM transaction {transaction.Id} (nonce {transaction.Nonce} on {transaction.Chain}) not settled within {timeout}; it stays persisted for recovery.");
        }
    }

    public async Task<IReadOnlyList<EvmTxRecord>> FindByIntentAsync(IntentId intent, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<EvmTransactionStore>().FindByIntentAsync(intent, cancellationToken);
        return stored.Select(s => s.Record).ToList();
    }

    public async Task<EvmTxOutcome?> ResolveAsync(EvmTxRecord transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var stored = await FindStoredAsync(transaction.Id, cancellationToken);
        var inspection = await inspector.InspectAsync(stored, cancellationToken);
        if (inspection.Sighting == EvmTxSighting.Unknown)
        {
            await RebroadcastAsync(stored, cancellationToken);
            stored = await FindStoredAsync(transaction.Id, cancellationToken);
            if (stored.Record.State == EvmTxState.Dropped)
            {
                return await EvmTransactionInspector.OutcomeOfSettledAsync(inspector.Client(stored.Record.Chain), stored, cancellationToken);
            }
        }

        return inspection.Outcome;
    }

    /// <summary>Broadcasts the latest stored attempt again (the node forgot it, or it was never sent). A permanent refusal drops it.</summary>
    public async Task RebroadcastAsync(StoredEvmTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var client = inspector.Client(transaction.Record.Chain);
        logger.LogInformation("EVM {Chain}: re-broadcasting transaction {Id} (nonce {Nonce}) as {Hash}", client.Chain, transaction.Record.Id, transaction.Record.Nonce, transaction.Latest.Hash);
        metrics.Rebroadcast(client.Chain);
        var refusal = await BroadcastAsync(client, transaction, transaction.Latest, cancellationToken);
        if (refusal == BroadcastRefusal.Nonce)
        {
            QueueOf(transaction.Record).NeedsResync = true;
        }
    }

    /// <summary>
    /// Signs, stores and broadcasts a replacement of the latest attempt with fees bumped by the chain's policy. False
    /// when the policy has no higher fees under the cap (the transaction keeps waiting at the cap) or it settled meanwhile.
    /// </summary>
    public async Task<bool> ReplaceAsync(StoredEvmTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var record = transaction.Record;
        var client = inspector.Client(record.Chain);
        var (baseFee, tip) = await MarketAsync(client, cancellationToken);
        if (policies.For(record.Chain).Bump(transaction.Latest.Fees, baseFee, tip) is not { } fees)
        {
            logger.LogDebug("EVM {Chain}: transaction {Id} is at the fee cap; no further replacement", record.Chain, record.Id);
            return false;
        }

        var previous = SignedTransaction.Decode(transaction.Latest.Raw).Transaction;
        var unsigned = previous with { MaxFeePerGas = fees.MaxFeePerGas, MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas };
        await using (var scope = scopes.CreateAsyncScope())
        {
            var signed = await SignAsync(scope.ServiceProvider.GetRequiredService<IKeyVault>(), record.Wallet, record.From, unsigned, cancellationToken);
            try
            {
                if (!await scope.ServiceProvider.GetRequiredService<EvmTransactionStore>().AddAttemptAsync(record.Id, signed, fees, cancellationToken))
                {
                    return false;
                }
            }
            catch (DbUpdateException)
            {
                // Another instance's monitor stored the very same replacement (deterministic signature): nothing to add.
                return false;
            }
        }

        var replaced = await FindStoredAsync(record.Id, cancellationToken);
        logger.LogInformation(
            "EVM {Chain}: replacing transaction {Id} (nonce {Nonce}) with {Hash}: maxFee {MaxFee} → {NewMaxFee} wei, tip {Tip} → {NewTip} wei",
            record.Chain, record.Id, record.Nonce, replaced.Latest.Hash, transaction.Latest.Fees.MaxFeePerGas, fees.MaxFeePerGas, transaction.Latest.Fees.MaxPriorityFeePerGas, fees.MaxPriorityFeePerGas);
        metrics.Replaced(client.Chain);
        var refusal = await BroadcastAsync(client, replaced, replaced.Latest, cancellationToken);
        if (refusal == BroadcastRefusal.Nonce)
        {
            QueueOf(record).NeedsResync = true;
        }

        return true;
    }

    private async Task<StoredEvmTransaction> AllocateAsync(IEvmRpcClient client, EvmGasPolicy policy, SenderQueue queue, EvmTxRequest request, BigInteger gasLimit, CancellationToken cancellationToken)
    {
        var (baseFee, tip) = await MarketAsync(client, cancellationToken);
        var fees = policy.Initial(baseFee, tip);
        BigInteger? chainPending = queue.NeedsResync
            ? await client.GetTransactionCountAsync(request.From, BlockTag.Pending, cancellationToken)
            : null;
        await using var scope = scopes.CreateAsyncScope();
        var vault = scope.ServiceProvider.GetRequiredService<IKeyVault>();
        var stored = await scope.ServiceProvider.GetRequiredService<EvmTransactionStore>().AllocateAsync(
            request,
            chainPending,
            fees,
            (nonce, ct) => SignAsync(
                vault,
                request.Wallet,
                request.From,
                new Eip1559Transaction(client.ChainId, nonce, fees.MaxPriorityFeePerGas, fees.MaxFeePerGas, gasLimit, request.To, request.Value, request.Data),
                ct),
            cancellationToken);
        queue.NeedsResync = false;
        metrics.Submitted(client.Chain);
        logger.LogInformation(
            "EVM {Chain}: transaction {Id} ({Purpose}) from {From} nonce {Nonce} stored as {Hash} (maxFee {MaxFee} wei, tip {Tip} wei)",
            client.Chain, stored.Record.Id, request.Purpose, request.From, stored.Record.Nonce, stored.Latest.Hash, fees.MaxFeePerGas, fees.MaxPriorityFeePerGas);
        return stored;
    }

    /// <summary>
    /// Broadcasts one stored attempt. Returns null when sent (or the transport failed: the bytes are stored, the
    /// monitor tries again), otherwise what the node's refusal means; a permanent one of a transaction's only
    /// attempt settles it Dropped and gives its nonce back.
    /// </summary>
    private async Task<BroadcastRefusal?> BroadcastAsync(IEvmRpcClient client, StoredEvmTransaction transaction, StoredEvmAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            await broadcaster.BroadcastAsync(client, attempt.Raw, cancellationToken);
            return null;
        }
        catch (EvmRpcUnavailableException ex)
        {
            logger.LogWarning("EVM {Chain}: broadcast of {Hash} did not reach a node ({Error}); stored, the monitor re-broadcasts", client.Chain, attempt.Hash, ex.Message);
            return null;
        }
        catch (EvmRpcException ex)
        {
            var refusal = EvmBroadcastErrors.Classify(ex);
            metrics.Refused(client.Chain, refusal);
            logger.LogWarning("EVM {Chain}: node refused {Hash} (transaction {Id}, nonce {Nonce}): {Error} → {Refusal}", client.Chain, attempt.Hash, transaction.Record.Id, transaction.Record.Nonce, ex.RpcMessage, refusal);
            // Only a transaction's sole attempt may be dropped on a refusal: with several, an earlier one may still be
            // in a pool and mined (a replacement refused for insufficient funds leaves the original valid).
            if (refusal == BroadcastRefusal.Permanent && transaction.Attempts.Count == 1)
            {
                await using var scope = scopes.CreateAsyncScope();
                inspector.Count(await scope.ServiceProvider.GetRequiredService<EvmTransactionStore>().RefuseAsync(transaction.Record.Id, $"refused by the node: {ex.RpcMessage}", CancellationToken.None));
                QueueOf(transaction.Record).NeedsResync = true;
            }

            return refusal;
        }
    }

    private static async Task<SignedTransaction> SignAsync(IKeyVault vault, WalletId wallet, EvmAddress from, Eip1559Transaction unsigned, CancellationToken cancellationToken) =>
        await vault.WithKeyAsync(
            wallet,
            key => key.Address == from
                ? unsigned.Sign(key)
                : throw new InvalidOperationException($"wallet {wallet} does not hold the key of {from}"),
            cancellationToken);

    private static async Task<(BigInteger? BaseFee, BigInteger? Tip)> MarketAsync(IEvmRpcClient client, CancellationToken cancellationToken)
    {
        var block = await client.GetBlockAsync(BlockTag.Latest, cancellationToken);
        var tip = await client.GetMaxPriorityFeePerGasAsync(cancellationToken);
        return (block?.BaseFeePerGas, tip);
    }

    private static async Task<BigInteger> EstimateGasAsync(IEvmRpcClient client, EvmTxRequest request, CancellationToken cancellationToken)
    {
        var estimate = await client.EstimateGasAsync(new EvmCallRequest(request.To, request.Data) { From = request.From, Value = request.Value }, cancellationToken);

        // A fifth on top: the state can move between the estimate and the inclusion.
        return estimate + (estimate / 5);
    }

    private async Task<StoredEvmTransaction> FindStoredAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EvmTransactionStore>().FindAsync(id, cancellationToken)
            ?? throw new InvalidOperationException($"EVM transaction {id} is not stored.");
    }

    private SenderQueue QueueOf(EvmTxRecord record) =>
        _queues.GetOrAdd((record.Chain.ToLowerInvariant(), record.From), _ => new SenderQueue());

    /// <summary>One (chain, from): its in-process gate and whether the next nonce must be resynced from the chain (true on first use).</summary>
    private sealed class SenderQueue
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool NeedsResync { get; set; } = true;
    }
}
