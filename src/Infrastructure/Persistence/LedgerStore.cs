using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// Ledger, holds and write-ahead intents over one DbContext. Each public method is one transaction whose first
/// statement writes: SQLite then takes its write lock up front (a deferred transaction that reads first can fail
/// to upgrade under concurrency), and PostgreSQL row-locks the account. The available-balance check is a
/// conditional UPDATE of the account row, so the check and the hold commit together on both databases; a CHECK
/// constraint refuses any overdraft the code might still attempt.
/// </summary>
public sealed class LedgerStore(VantaBotDbContext db, TimeProvider time) : IAccountLedger, IOrderIntentStore, IHoldingsReader
{
    private const string DepositKind = "deposit";
    private const string PositionOpenKind = "position_open";
    internal const string PositionCloseKind = "position_close";

    // Compiled: both run on every open (the idempotency look-up first, the holdings for the funds and risk checks).
    private static readonly PerModelQuery<Func<VantaBotDbContext, UserId, CancellationToken, Task<HoldingsRow?>>> HoldingsQuery = new(() =>
        EF.CompileAsyncQuery((VantaBotDbContext db, UserId user, CancellationToken _) => db.Accounts.AsNoTracking()
            .Where(a => a.UserId == user)
            .Select(a => new HoldingsRow
            {
                Account = a,
                Open = db.Positions.Where(p => p.UserId == a.UserId && p.Status == PositionStatus.Open).OrderBy(p => p.OpenedAt).ToList(),
            })
            .SingleOrDefault()));

    private static readonly PerModelQuery<Func<VantaBotDbContext, UserId, string, CancellationToken, Task<OrderIntentEntity?>>> IntentByKeyQuery = new(() =>
        EF.CompileAsyncQuery((VantaBotDbContext db, UserId user, string key, CancellationToken _) =>
            db.OrderIntents.AsNoTracking().SingleOrDefault(i => i.UserId == user && i.IdempotencyKey == key)));

    public async Task<AccountSnapshot> GetAsync(UserId user, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == user, cancellationToken);
        return Snapshot(user, account);
    }

    public async Task<Holdings> ReadHoldingsAsync(UserId user, CancellationToken cancellationToken)
    {
        // One statement (the account joined to its open positions), not two reads that could straddle a trade.
        var row = await HoldingsQuery.For(db)(db, user, cancellationToken);
        return row is null
            ? new Holdings(Snapshot(user, null), [])
            : new Holdings(Snapshot(user, row.Account), row.Open.Select(ToDomain).ToArray());
    }

    public async Task<bool> DepositAsync(UserId user, decimal amount, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        var micros = Usdc.ToMicros(amount);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await EnsureAccountAsync(user, cancellationToken);
        var entry = new LedgerEntryEntity { UserId = user, Kind = DepositKind, AmountMicros = micros, Reference = idempotencyKey, CreatedAt = time.GetUtcNow() };
        db.LedgerEntries.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same deposit key again: credited once already.
            await tx.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return false;
        }

        await db.Accounts.Where(a => a.UserId == user)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.BalanceMicros, a => a.BalanceMicros + micros), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    public async Task<PlaceIntentResult> PlaceOpenAsync(OrderIntent intent, CancellationToken cancellationToken)
    {
        var micros = Usdc.ToMicros(intent.Collateral);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(micros);
        OrderIntent placed;
        AccountEntity? account;
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The hold is the first statement, and a write (see the class comment); the unique idempotency key on
            // the intent settles a concurrent delivery of the same order below, so no read comes first.
            account = await HoldAsync(intent.User, micros, cancellationToken);
            if (account is null)
            {
                await tx.RollbackAsync(cancellationToken);

                // No account, too little available, or the same order placed already (its hold is why): say which.
                var earlier = await FindByKeyAsync(intent.User, intent.IdempotencyKey, cancellationToken);
                return earlier is not null
                    ? new PlaceIntentResult(PlaceIntentOutcome.Duplicate, earlier, await GetAsync(intent.User, cancellationToken))
                    : new PlaceIntentResult(PlaceIntentOutcome.InsufficientFunds, intent, await GetAsync(intent.User, cancellationToken));
            }

            var now = time.GetUtcNow();
            placed = intent with { State = IntentState.Pending, CreatedAt = now };
            db.OrderIntents.Add(ToEntity(placed, micros, now));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // A concurrent delivery of the same update placed it first; our hold rolls back with us.
                await tx.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                var winner = await FindByKeyAsync(intent.User, intent.IdempotencyKey, cancellationToken) ?? throw new InvalidOperationException("Intent insert failed for another reason.", null);
                return new PlaceIntentResult(PlaceIntentOutcome.Duplicate, winner, await GetAsync(intent.User, cancellationToken));
            }
        }

        db.ChangeTracker.Clear();
        return new PlaceIntentResult(PlaceIntentOutcome.Placed, placed, Snapshot(intent.User, account));
    }

    /// <summary>
    /// Holds <paramref name="micros"/> when that much is available: one conditional UPDATE that also returns the
    /// account as it now stands (plain SQL both databases speak), or null when nothing was held.
    /// </summary>
    private async Task<AccountEntity?> HoldAsync(UserId user, long micros, CancellationToken cancellationToken)
    {
        // Read by hand (RawRows): once per open, and three plain columns.
        var rows = await RawRows.ReadAsync(
            db,
            $"UPDATE accounts SET held_micros = held_micros + {micros} WHERE user_id = {user.Value} AND balance_micros - held_micros >= {micros} RETURNING user_id, balance_micros, held_micros",
            row => new AccountEntity { UserId = new UserId(row.GetInt64(0)), BalanceMicros = row.GetInt64(1), HeldMicros = row.GetInt64(2) },
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    // A command rather than ExecuteUpdate's LINQ (which compiles and binds an executor on every run): once per order.
    public async Task MarkSubmittedAsync(IntentId intent, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE order_intents SET state = {nameof(IntentState.Submitted)}, updated_at = {time.GetUtcNow().UtcDateTime} WHERE id = {StoredIds.Of(db, intent)} AND state = {nameof(IntentState.Pending)}",
            cancellationToken);

    public async Task<Position> CompleteOpenAsync(IntentId intent, PerpOpenFill fill, decimal stopLoss, bool stopLossSetByBot, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);

        // The state guard makes settlement happen once even if two recoverers race for the same intent. The claim
        // returns the intent as it now stands (tracked: it is updated again below), so no read follows it.
        var claimed = await db.OrderIntents.FromSql(
                $"UPDATE order_intents SET state = {nameof(IntentState.Filled)}, updated_at = {now.UtcDateTime} WHERE id = {StoredIds.Of(db, intent)} AND state IN ({nameof(IntentState.Pending)}, {nameof(IntentState.Submitted)}) RETURNING *")
            .ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await db.Positions.AsNoTracking().Where(p => p.OpenIntentId == intent).Select(p => ToDomain(p)).SingleOrDefaultAsync(cancellationToken)
                ?? throw new InvalidOperationException($"Intent {intent} is {(await FindAsync(intent, cancellationToken))?.State.ToString() ?? "unknown"}, not fillable.");
        }

        var entity = claimed[0];
        var posted = entity.HeldMicros;
        var leads = await SettleHoldAsync(entity, posted, cancellationToken);
        db.LedgerEntries.Add(new LedgerEntryEntity
        {
            UserId = entity.UserId,
            Kind = PositionOpenKind,
            AmountMicros = -posted,
            Reference = intent.ToString(),
            CreatedAt = now,
        });
        var position = new PositionEntity
        {
            Id = PositionId.New(),
            UserId = entity.UserId,
            OpenIntentId = intent,
            Pair = fill.Pair.ToString(),
            Side = fill.Side,
            CollateralMicros = Usdc.ToMicros(fill.Collateral),
            Leverage = fill.Leverage,
            EntryPrice = fill.EntryPrice,
            LiquidationPrice = fill.LiquidationPrice,
            TakeProfit = entity.TakeProfit,
            StopLoss = stopLoss,
            StopLossSetByBot = stopLossSetByBot,
            OpenFeeMicros = Usdc.ToMicros(fill.OpenFee),
            OpenedAt = fill.FilledAt,
            Status = PositionStatus.Open,
        };
        db.Positions.Add(position);
        entity.HeldMicros = 0;
        entity.PositionId = position.Id;
        Outbox.OutboxWriter.Add(db, Outbox.TradeOutcomeNotices.Filled(entity, position), now);
        Copy.LeaderTradeCapture.OnOpened(db, entity, position, now, leads);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return ToDomain(position);
    }

    /// <summary>
    /// Turns the open's hold into the debit of its posted collateral, and says in the same statement whether the
    /// user is an opted-in copy leader (whose open followers mirror): one round trip instead of two.
    /// </summary>
    private async Task<bool> SettleHoldAsync(OrderIntentEntity entity, long posted, CancellationToken cancellationToken)
    {
        var user = entity.UserId.Value;
        var rows = await RawRows.ReadAsync(
            db,
            $"UPDATE accounts SET held_micros = held_micros - {posted}, balance_micros = balance_micros - {posted} WHERE user_id = {user} RETURNING EXISTS (SELECT 1 FROM copy_leaders WHERE user_id = {user} AND enabled)",
            row => row.GetBoolean(0),
            cancellationToken);
        return rows.Count == 1 ? rows[0] : throw new InvalidOperationException($"Intent {entity.Id} holds funds of user {user}, who has no account.");
    }

    public async Task FailAsync(IntentId intent, IntentState finalState, string reason, CancellationToken cancellationToken)
    {
        if (finalState is not (IntentState.Failed or IntentState.Cancelled))
        {
            throw new ArgumentOutOfRangeException(nameof(finalState), finalState, "Only Failed or Cancelled end an intent without a fill.");
        }

        var now = time.GetUtcNow();
        var clipped = reason.Length <= 512 ? reason : reason[..512];
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.OrderIntents
            .Where(i => i.Id == intent && (i.State == IntentState.Pending || i.State == IntentState.Submitted))
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.State, finalState).SetProperty(i => i.FailureReason, clipped).SetProperty(i => i.UpdatedAt, now),
                cancellationToken);
        if (claimed == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            return;
        }

        var entity = await db.OrderIntents.AsNoTracking().SingleAsync(i => i.Id == intent, cancellationToken);
        if (entity.Kind == IntentKind.ClosePerp)
        {
            // The position is free for the next close.
            await db.Positions.Where(p => p.ClosingIntentId == intent)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.ClosingIntentId, (IntentId?)null), cancellationToken);
        }

        var released = entity.HeldMicros;
        if (released > 0)
        {
            await db.Accounts.Where(a => a.UserId == entity.UserId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.HeldMicros, a => a.HeldMicros - released), cancellationToken);
            await db.OrderIntents.Where(i => i.Id == intent).ExecuteUpdateAsync(s => s.SetProperty(i => i.HeldMicros, 0L), cancellationToken);
        }

        if (entity.Kind == IntentKind.OpenPerp)
        {
            // A failed close needs no notice: the position is unchanged and still shown by /positions, and an
            // automatic TP/SL attempt the market moved away from is retried by the monitor, not news to the trader.
            Outbox.OutboxWriter.Add(db, Outbox.TradeOutcomeNotices.Failed(entity, finalState, clipped), now);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<OrderIntent?> FindAsync(IntentId intent, CancellationToken cancellationToken)
    {
        var entity = await db.OrderIntents.AsNoTracking().SingleOrDefaultAsync(i => i.Id == intent, cancellationToken);
        return entity is null ? null : ToDomain(entity);
    }

    public async Task<IReadOnlyList<OrderIntent>> GetUnresolvedAsync(CancellationToken cancellationToken)
    {
        var rows = await db.OrderIntents.AsNoTracking()
            .Where(i => i.State == IntentState.Pending || i.State == IntentState.Submitted)
            .OrderBy(i => i.CreatedAt)
            .ToListAsync(cancellationToken);
        return rows.Select(ToDomain).ToArray();
    }

    public async Task<IReadOnlyList<Position>> GetOpenPositionsAsync(UserId user, CancellationToken cancellationToken)
    {
        var rows = await db.Positions.AsNoTracking()
            .Where(p => p.UserId == user && p.Status == PositionStatus.Open)
            .OrderBy(p => p.OpenedAt)
            .ToListAsync(cancellationToken);
        return rows.Select(ToDomain).ToArray();
    }

    public async Task<IReadOnlyList<LedgerDiscrepancy>> VerifyAsync(CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.AsNoTracking().ToListAsync(cancellationToken);
        var entrySums = await db.LedgerEntries.AsNoTracking()
            .GroupBy(e => e.UserId).Select(g => new { User = g.Key, Sum = g.Sum(e => e.AmountMicros) })
            .ToDictionaryAsync(x => x.User, x => x.Sum, cancellationToken);
        var holdSums = await db.OrderIntents.AsNoTracking()
            .Where(i => i.State == IntentState.Pending || i.State == IntentState.Submitted)
            .GroupBy(i => i.UserId).Select(g => new { User = g.Key, Sum = g.Sum(i => i.HeldMicros) })
            .ToDictionaryAsync(x => x.User, x => x.Sum, cancellationToken);

        var users = accounts.Select(a => a.UserId).Union(entrySums.Keys).Union(holdSums.Keys);
        var byUser = accounts.ToDictionary(a => a.UserId);
        var discrepancies = new List<LedgerDiscrepancy>();
        foreach (var user in users)
        {
            var account = byUser.GetValueOrDefault(user);
            var balance = account?.BalanceMicros ?? 0;
            var held = account?.HeldMicros ?? 0;
            var entries = entrySums.GetValueOrDefault(user);
            var holds = holdSums.GetValueOrDefault(user);
            if (balance != entries || held != holds || balance - held < 0)
            {
                discrepancies.Add(new LedgerDiscrepancy(user, Usdc.FromMicros(balance), Usdc.FromMicros(entries), Usdc.FromMicros(held), Usdc.FromMicros(holds)));
            }
        }

        return discrepancies;
    }

    private async Task EnsureAccountAsync(UserId user, CancellationToken cancellationToken) =>
        // Plain SQL both databases speak; a write as the transaction's first statement (see the class comment).
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO accounts (user_id, balance_micros, held_micros) VALUES ({user.Value}, 0, 0) ON CONFLICT (user_id) DO NOTHING",
            cancellationToken);

    public Task<OrderIntent?> FindByIdempotencyKeyAsync(UserId user, string idempotencyKey, CancellationToken cancellationToken) =>
        FindByKeyAsync(user, idempotencyKey, cancellationToken);

    private async Task<OrderIntent?> FindByKeyAsync(UserId user, string key, CancellationToken cancellationToken)
    {
        var entity = await IntentByKeyQuery.For(db)(db, user, key, cancellationToken);
        return entity is null ? null : ToDomain(entity);
    }

    private static AccountSnapshot Snapshot(UserId user, AccountEntity? account) =>
        new(user, Usdc.FromMicros(account?.BalanceMicros ?? 0), Usdc.FromMicros(account?.HeldMicros ?? 0));

    private static OrderIntentEntity ToEntity(OrderIntent intent, long heldMicros, DateTimeOffset now) => new()
    {
        Id = intent.Id,
        UserId = intent.User,
        Kind = intent.Kind,
        State = intent.State,
        IdempotencyKey = intent.IdempotencyKey,
        Pair = intent.Pair.ToString(),
        Side = intent.Side,
        Collateral = intent.Collateral,
        Leverage = intent.Leverage,
        TakeProfit = intent.TakeProfit,
        StopLoss = intent.StopLoss,
        PositionId = intent.Position,
        CloseFraction = intent.CloseFraction,
        HeldMicros = heldMicros,
        FailureReason = intent.FailureReason,
        CreatedAt = intent.CreatedAt,
        UpdatedAt = now,
        StopLossSetByBot = intent.StopLossSetByBot,
        CloseReason = intent.CloseReason,
    };

    internal static OrderIntentEntity ToEntity(OrderIntent intent, DateTimeOffset now) => ToEntity(intent, 0, now);

    internal static OrderIntent ToDomain(OrderIntentEntity e) => new(
        e.Id, e.UserId, e.Kind, e.State, e.IdempotencyKey, ParsePair(e.Pair), e.Side, e.Collateral, e.Leverage, e.TakeProfit, e.StopLoss,
        e.PositionId, e.CloseFraction, e.FailureReason, e.CreatedAt, e.StopLossSetByBot, e.CloseReason);

    internal static Position ToDomain(PositionEntity p) => new(
        p.Id, p.UserId, ParsePair(p.Pair), p.Side, Usdc.FromMicros(p.CollateralMicros), p.Leverage, p.EntryPrice, p.LiquidationPrice,
        p.TakeProfit, p.StopLoss, p.StopLossSetByBot, Usdc.FromMicros(p.OpenFeeMicros), p.OpenedAt, p.Status, Usdc.FromMicros(p.RealizedPnlMicros), p.ClosedAt);

    internal static Pair ParsePair(string stored) =>
        Pair.TryParse(stored, out var pair) ? pair : throw new InvalidOperationException($"Stored pair '{stored}' does not parse.");

    /// <summary>An account with its open positions, as one row of <see cref="HoldingsQuery"/>.</summary>
    private sealed class HoldingsRow
    {
        public required AccountEntity Account { get; init; }

        public required List<PositionEntity> Open { get; init; }
    }
}
