using System.Globalization;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Evm.Transactions;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Wallets;

namespace VantaBot.Infrastructure.Persistence.EvmTransactions;

/// <summary>One stored attempt as the queue needs it: the exact bytes, their hash, the fees they pay and when they were made.</summary>
public sealed record StoredEvmAttempt(EvmHash Hash, byte[] Raw, EvmFees Fees, DateTimeOffset CreatedAt);

/// <summary>A settle's result: the stored transaction afterwards, and whether this call was the one that ended it.</summary>
public sealed record EvmSettlement(StoredEvmTransaction Transaction, bool Claimed);

/// <summary>A stored transaction with all its attempts, oldest first.</summary>
public sealed record StoredEvmTransaction(EvmTxRecord Record, IReadOnlyList<StoredEvmAttempt> Attempts, string? Detail)
{
    public StoredEvmAttempt Latest => Attempts[^1];
}

/// <summary>
/// The queue's tables. Nonce allocation, signing and the write-ahead insert are one database transaction whose first
/// statement upserts the (chain, address) nonce row — PostgreSQL row-locks it, SQLite takes its write lock — so two
/// bot instances never hand out one nonce, and no nonce is handed out without its signed transaction stored.
/// Settling is guarded by the Pending state, so a transaction settles once however many pollers race for it.
/// </summary>
public sealed class EvmTransactionStore(VantaBotDbContext db, TimeProvider time)
{
    private DbSet<EvmTransactionEntity> Transactions => db.Set<EvmTransactionEntity>();

    private DbSet<EvmTransactionAttemptEntity> Attempts => db.Set<EvmTransactionAttemptEntity>();

    /// <summary>
    /// Takes the next nonce of (chain, from), has <paramref name="sign"/> sign it, stores transaction + attempt and
    /// advances the nonce — all or nothing. With <paramref name="chainPendingCount"/> (a resync) the floor is the
    /// chain's pending count: the chain knows about foreign
    /// transactions, we know about ours the node has not seen (yet). From that floor (or the stored next nonce) the
    /// lowest nonce no stored, not-dropped transaction holds is taken, so a nonce given back by a drop is reused.
    /// </summary>
    public async Task<StoredEvmTransaction> AllocateAsync(
        EvmTxRequest request,
        BigInteger? chainPendingCount,
        EvmFees fees,
        Func<BigInteger, CancellationToken, Task<SignedTransaction>> sign,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sign);
        var now = time.GetUtcNow();
        var from = Address(request.From);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO evm_nonces (chain, address, next_nonce, updated_at) VALUES ({request.Chain}, {from}, {0L}, {now.UtcDateTime}) ON CONFLICT (chain, address) DO UPDATE SET updated_at = excluded.updated_at",
            cancellationToken);
        var row = await db.Set<EvmNonceEntity>().SingleAsync(n => n.Chain == request.Chain && n.Address == from, cancellationToken);
        var floor = chainPendingCount is { } count ? (long)count : row.NextNonce;
        var dropped = nameof(EvmTxState.Dropped);
        var used = (await Transactions
            .Where(t => t.Chain == request.Chain && t.FromAddress == from && t.State != dropped && t.Nonce >= floor)
            .Select(t => t.Nonce)
            .ToListAsync(cancellationToken)).ToHashSet();

        // The lowest free nonce from the floor: skips ours the chain has not counted yet, fills a gap a dropped one left.
        var nonce = floor;
        while (used.Contains(nonce))
        {
            nonce++;
        }

        var next = nonce + 1;
        while (used.Contains(next))
        {
            next++;
        }

        var signed = await sign(nonce, cancellationToken);
        var entity = new EvmTransactionEntity
        {
            Id = Guid.NewGuid(),
            Chain = request.Chain,
            WalletId = request.Wallet.Value,
            FromAddress = from,
            Nonce = nonce,
            Purpose = request.Purpose.Length <= 64 ? request.Purpose : request.Purpose[..64],
            IntentId = request.Intent?.Value,
            State = nameof(EvmTxState.Pending),
            CreatedAt = now,
            UpdatedAt = now,
        };
        Transactions.Add(entity);
        var attempt = NewAttempt(entity.Id, signed, fees, now);
        Attempts.Add(attempt);
        row.NextNonce = next;
        row.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return ToStored(entity, [attempt]);
    }

    /// <summary>Stores a replacement attempt (same nonce, higher fees) before it is broadcast; false when the transaction is no longer pending.</summary>
    public async Task<bool> AddAttemptAsync(Guid transaction, SignedTransaction signed, EvmFees fees, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var pending = nameof(EvmTxState.Pending);
        var touched = await Transactions.Where(t => t.Id == transaction && t.State == pending)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UpdatedAt, now), cancellationToken);
        if (touched == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        Attempts.Add(NewAttempt(transaction, signed, fees, now));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    /// <summary>
    /// Ends a pending transaction the node refused for good (Dropped) and gives its nonce back: the nonce row is
    /// lowered to it, so the next allocation of any instance fills the gap instead of leaving later nonces stuck
    /// behind it. One transaction, first statement on the nonce row (the allocation lock).
    /// </summary>
    public async Task<EvmSettlement> RefuseAsync(Guid transaction, string detail, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(transaction, cancellationToken)
            ?? throw new InvalidOperationException($"EVM transaction {transaction} is not stored.");
        var record = stored.Record;
        var from = Address(record.From);
        var nonce = (long)record.Nonce;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<EvmNonceEntity>()
            .Where(n => n.Chain == record.Chain && n.Address == from && n.NextNonce > nonce)
            .ExecuteUpdateAsync(n => n.SetProperty(x => x.NextNonce, nonce), cancellationToken);
        var settled = await SettleAsync(transaction, EvmTxState.Dropped, null, detail, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return settled;
    }

    /// <summary>Ends a pending transaction; returns the stored state afterwards (the first settler wins).</summary>
    public async Task<EvmSettlement> SettleAsync(Guid transaction, EvmTxState state, EvmHash? minedHash, string? detail, CancellationToken cancellationToken)
    {
        if (state == EvmTxState.Pending)
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "Settling ends a transaction: Succeeded, Reverted or Dropped.");
        }

        var now = time.GetUtcNow();
        var pending = nameof(EvmTxState.Pending);
        var name = state.ToString();
        var hash = minedHash?.Hex;
        var clipped = detail is { Length: > 512 } ? detail[..512] : detail;
        var claimed = await Transactions.Where(t => t.Id == transaction && t.State == pending)
            .ExecuteUpdateAsync(
                t => t.SetProperty(x => x.State, name).SetProperty(x => x.MinedHash, hash).SetProperty(x => x.Detail, clipped).SetProperty(x => x.UpdatedAt, now),
                cancellationToken);
        var stored = await FindAsync(transaction, cancellationToken)
            ?? throw new InvalidOperationException($"EVM transaction {transaction} is not stored.");
        return new EvmSettlement(stored, claimed == 1);
    }

    public async Task<StoredEvmTransaction?> FindAsync(Guid transaction, CancellationToken cancellationToken)
    {
        var entity = await Transactions.AsNoTracking().SingleOrDefaultAsync(t => t.Id == transaction, cancellationToken);
        return entity is null ? null : (await WithAttemptsAsync([entity], cancellationToken))[0];
    }

    public async Task<IReadOnlyList<StoredEvmTransaction>> FindByIntentAsync(IntentId intent, CancellationToken cancellationToken)
    {
        var rows = await Transactions.AsNoTracking().Where(t => t.IntentId == intent.Value).ToListAsync(cancellationToken);
        return await WithAttemptsAsync(rows.OrderBy(t => t.CreatedAt).ThenBy(t => t.Nonce).ToList(), cancellationToken);
    }

    /// <summary>Every pending transaction of the chain, lowest nonce first (a replacement of a lower nonce unblocks the higher ones).</summary>
    public async Task<IReadOnlyList<StoredEvmTransaction>> PendingAsync(string chain, CancellationToken cancellationToken)
    {
        var pending = nameof(EvmTxState.Pending);
        var rows = await Transactions.AsNoTracking().Where(t => t.Chain == chain && t.State == pending).ToListAsync(cancellationToken);
        return await WithAttemptsAsync(rows.OrderBy(t => t.FromAddress, StringComparer.Ordinal).ThenBy(t => t.Nonce).ToList(), cancellationToken);
    }

    private async Task<IReadOnlyList<StoredEvmTransaction>> WithAttemptsAsync(IReadOnlyList<EvmTransactionEntity> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var attempts = (await Attempts.AsNoTracking().Where(a => ids.Contains(a.TransactionId)).ToListAsync(cancellationToken))
            .ToLookup(a => a.TransactionId);
        return rows.Select(r => ToStored(r, attempts[r.Id].OrderBy(a => a.Id).ToList())).ToList();
    }

    private static EvmTransactionAttemptEntity NewAttempt(Guid transaction, SignedTransaction signed, EvmFees fees, DateTimeOffset now) => new()
    {
        TransactionId = transaction,
        Hash = EvmHash.Parse(signed.Hash).Hex,
        RawTransaction = signed.Raw,
        MaxFeePerGas = fees.MaxFeePerGas.ToString(CultureInfo.InvariantCulture),
        MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas.ToString(CultureInfo.InvariantCulture),
        CreatedAt = now,
    };

    private static StoredEvmTransaction ToStored(EvmTransactionEntity t, IReadOnlyList<EvmTransactionAttemptEntity> attempts)
    {
        var stored = attempts.Select(a => new StoredEvmAttempt(
            EvmHash.Parse(a.Hash),
            a.RawTransaction,
            new EvmFees(BigInteger.Parse(a.MaxFeePerGas, CultureInfo.InvariantCulture), BigInteger.Parse(a.MaxPriorityFeePerGas, CultureInfo.InvariantCulture)),
            a.CreatedAt)).ToList();
        var record = new EvmTxRecord(
            t.Id,
            t.Chain,
            new WalletId(t.WalletId),
            EvmAddress.Parse(t.FromAddress),
            t.Nonce,
            stored[^1].Hash,
            stored.Select(a => a.Hash).ToList(),
            t.Purpose,
            t.IntentId is { } intent ? new IntentId(intent) : null,
            Enum.Parse<EvmTxState>(t.State),
            t.CreatedAt)
        {
            MinedHash = t.MinedHash is { } mined ? EvmHash.Parse(mined) : null,
            Detail = t.Detail,
        };
        return new StoredEvmTransaction(record, stored, t.Detail);
    }

    private static string Address(EvmAddress address) => "0x" + address.LowerHex;
}
