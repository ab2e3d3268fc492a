using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// Positions after they open. Like <see cref="LedgerStore"/>, each write is one transaction whose first statement
/// writes (SQLite takes its lock up front; PostgreSQL row-locks), and every state change is a conditional UPDATE,
/// so concurrent closes, recoverers and monitors cannot settle one close twice or pay a position out twice.
/// </summary>
public sealed class PositionStore(VantaBotDbContext db) : IPositionStore
{
    public async Task<Position?> FindAsync(PositionId position, CancellationToken cancellationToken)
    {
        var row = await db.Positions.AsNoTracking().SingleOrDefaultAsync(p => p.Id == position, cancellationToken);
        return row is null ? null : LedgerStore.ToDomain(row);
    }

    public async Task<Position?> FindOpenByShortIdAsync(UserId user, string shortId, CancellationToken cancellationToken)
    {
        var open = await db.Positions.AsNoTracking()
            .Where(p => p.UserId == user && p.Status == PositionStatus.Open)
            .ToListAsync(cancellationToken);

        // The id is matched in memory: a user has few open positions, and the stored form of a GUID differs by provider.
        var matches = open.Where(p => p.Id.ToString().EndsWith(shortId, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return matches.Count == 1 ? LedgerStore.ToDomain(matches[0]) : null;
    }

    public async Task<IReadOnlyList<Position>> GetAllOpenAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Positions.AsNoTracking().Where(p => p.Status == PositionStatus.Open).OrderBy(p => p.OpenedAt).ToListAsync(cancellationToken);
        return rows.Select(LedgerStore.ToDomain).ToArray();
    }

    public async Task<IReadOnlyList<Pair>> GetOpenPairsAsync(CancellationToken cancellationToken)
    {
        var pairs = await db.Positions.AsNoTracking().Where(p => p.Status == PositionStatus.Open).Select(p => p.Pair).Distinct().ToListAsync(cancellationToken);
        return pairs.Order(StringComparer.Ordinal).Select(LedgerStore.ParsePair).ToArray();
    }

    public async Task<IReadOnlyList<Position>> GetTriggeredAsync(Pair pair, decimal mark, CancellationToken cancellationToken)
    {
        // PositionTriggers.Evaluate in SQL (a level exactly at the mark counts as reached); the caller evaluates
        // each row again for its reason.
        var stored = pair.ToString();
        var rows = await db.Positions.AsNoTracking()
            .Where(p => p.Pair == stored && p.Status == PositionStatus.Open)
            .Where(p =>
                (p.Side == Side.Long && (p.LiquidationPrice >= mark || p.StopLoss >= mark || (p.TakeProfit != null && p.TakeProfit <= mark)))
                || (p.Side == Side.Short && (p.LiquidationPrice <= mark || p.StopLoss <= mark || (p.TakeProfit != null && p.TakeProfit >= mark))))
            .OrderBy(p => p.OpenedAt)
            .ToListAsync(cancellationToken);
        return rows.Select(LedgerStore.ToDomain).ToArray();
    }

    public async Task<PlaceIntentResult> PlaceCloseAsync(OrderIntent intent, CancellationToken cancellationToken)
    {
        if (intent.Kind != IntentKind.ClosePerp || intent.Position is not { } positionId)
        {
            throw new ArgumentException("A close intent names its position.", nameof(intent));
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Positions
            .Where(p => p.Id == positionId && p.UserId == intent.User && p.Status == PositionStatus.Open && p.ClosingIntentId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ClosingIntentId, (IntentId?)intent.Id), cancellationToken);
        if (claimed == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            return await WhyNotClaimedAsync(intent, positionId, cancellationToken);
        }

        var now = intent.CreatedAt;
        db.OrderIntents.Add(LedgerStore.ToEntity(intent with { State = IntentState.Pending }, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same key was placed first (a re-delivered update); our claim rolls back with us.
            await tx.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var winner = await FindIntentByKeyAsync(intent.User, intent.IdempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException("Close intent insert failed for another reason.");
            return new PlaceIntentResult(PlaceIntentOutcome.Duplicate, winner, Empty(intent.User));
        }

        db.ChangeTracker.Clear();
        return new PlaceIntentResult(PlaceIntentOutcome.Placed, intent with { State = IntentState.Pending }, Empty(intent.User));
    }

    public async Task<PositionClose> CompleteCloseAsync(IntentId intent, PerpCloseFill fill, CancellationToken cancellationToken)
    {
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);

        // Settled once even when the monitor, a recoverer and the trader race; the claim returns the intent, so no read follows it.
        var claimed = await db.OrderIntents.FromSql(
                $"UPDATE order_intents SET state = {nameof(IntentState.Filled)}, updated_at = {fill.FilledAt.UtcDateTime} WHERE id = {StoredIds.Of(db, intent)} AND kind = {nameof(IntentKind.ClosePerp)} AND state IN ({nameof(IntentState.Pending)}, {nameof(IntentState.Submitted)}) RETURNING *")
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            var settled = await db.Set<PositionCloseEntity>().AsNoTracking().SingleOrDefaultAsync(c => c.IntentId == intent, cancellationToken);
            return settled is not null ? ToDomain(settled) : throw new InvalidOperationException($"Close intent {intent} is not settleable.");
        }

        var entity = claimed[0];
        var position = await db.Positions.SingleAsync(p => p.Id == entity.PositionId, cancellationToken);
        var fully = entity.CloseFraction == 1m;

        // A full close takes exactly what is left, so no micro-unit residue stays behind on a closed position.
        var closedMicros = fully ? position.CollateralMicros : Math.Min(Usdc.ToMicros(fill.ClosedCollateral), position.CollateralMicros);
        var openFeeShare = fully ? position.OpenFeeMicros : position.OpenFeeMicros * closedMicros / Math.Max(position.CollateralMicros, 1);
        var payoutMicros = Usdc.ToMicros(fill.Payout);
        var realized = payoutMicros - closedMicros - openFeeShare;
        var reason = entity.CloseReason ?? CloseReason.Manual;

        position.CollateralMicros -= closedMicros;
        position.OpenFeeMicros -= openFeeShare;
        position.RealizedPnlMicros += realized;
        position.ClosingIntentId = null;
        if (fully)
        {
            position.Status = reason == CloseReason.Liquidation ? PositionStatus.Liquidated : PositionStatus.Closed;
            position.ClosedAt = fill.FilledAt;
        }

        var captured = await PayOutAsync(entity, position, payoutMicros, cancellationToken);
        db.LedgerEntries.Add(new LedgerEntryEntity
        {
            UserId = entity.UserId,
            Kind = LedgerStore.PositionCloseKind,
            AmountMicros = payoutMicros,
            Reference = intent.ToString(),
            CreatedAt = fill.FilledAt,
        });
        var close = new PositionCloseEntity
        {
            IntentId = intent,
            PositionId = position.Id,
            UserId = entity.UserId,
            Pair = position.Pair,
            Side = position.Side,
            Reason = reason,
            Fraction = entity.CloseFraction,
            ClosedCollateralMicros = closedMicros,
            Leverage = position.Leverage,
            EntryPrice = position.EntryPrice,
            ExitPrice = fill.ExitPrice,
            GrossPnlMicros = Usdc.ToMicros(fill.GrossPnl),
            FeesMicros = Usdc.ToMicros(fill.CloseFee + fill.RolloverFee) + openFeeShare,
            PayoutMicros = payoutMicros,
            RealizedPnlMicros = realized,
            ClosedAt = fill.FilledAt,
        };
        db.Set<PositionCloseEntity>().Add(close);

        // Committed with the close: the trader hears of it at least once, even if this process dies right now.
        Outbox.OutboxWriter.Add(db, Outbox.TradeOutcomeNotices.Closed(close), fill.FilledAt);
        Copy.LeaderTradeCapture.OnClosed(db, entity, position, fill.FilledAt, captured);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return ToDomain(close);
    }

    /// <summary>
    /// Credits the payout, and says in the same statement whether the position's open was captured as a leader trade
    /// (so its followers close with it): one round trip instead of two.
    /// </summary>
    private async Task<bool> PayOutAsync(OrderIntentEntity intent, PositionEntity position, long payoutMicros, CancellationToken cancellationToken)
    {
        var user = intent.UserId.Value;
        var rows = await db.Database.SqlQuery<bool>(
                $"UPDATE accounts SET balance_micros = balance_micros + {payoutMicros} WHERE user_id = {user} RETURNING EXISTS (SELECT 1 FROM copy_leader_trades WHERE kind = {nameof(Copy.LeaderTradeKind.PerpOpen)} AND leader_position_id = {StoredIds.Of(db, position.Id.Value)}) AS \"Value\"")
            .ToListAsync(cancellationToken);
        return rows.Count == 1 ? rows[0] : throw new InvalidOperationException($"Close intent {intent.Id} pays user {user}, who has no account.");
    }

    public async Task<bool> UpdateProtectionAsync(
        PositionId position, UserId user, decimal? takeProfit, decimal stopLoss, bool stopLossSetByBot, CancellationToken cancellationToken)
    {
        var updated = await db.Positions
            .Where(p => p.Id == position && p.UserId == user && p.Status == PositionStatus.Open)
            .ExecuteUpdateAsync(
                s => s.SetProperty(p => p.TakeProfit, takeProfit).SetProperty(p => p.StopLoss, stopLoss).SetProperty(p => p.StopLossSetByBot, stopLossSetByBot),
                cancellationToken);
        return updated == 1;
    }

    public async Task<IReadOnlyList<PositionClose>> GetClosesAsync(UserId user, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        var query = db.Set<PositionCloseEntity>().AsNoTracking().Where(c => c.UserId == user);
        if (since is { } from)
        {
            query = query.Where(c => c.ClosedAt >= from);
        }

        var rows = await query.OrderByDescending(c => c.ClosedAt).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(ToDomain).ToArray();
    }

    public async Task<CloseSummary> SummarizeClosesAsync(UserId user, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var query = db.Set<PositionCloseEntity>().AsNoTracking().Where(c => c.UserId == user);
        if (since is { } from)
        {
            query = query.Where(c => c.ClosedAt >= from);
        }

        var totals = await query
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Wins = g.Count(c => c.RealizedPnlMicros > 0), Pnl = g.Sum(c => c.RealizedPnlMicros), Fees = g.Sum(c => c.FeesMicros) })
            .SingleOrDefaultAsync(cancellationToken);
        return totals is null
            ? new CloseSummary(0, 0, 0m, 0m)
            : new CloseSummary(totals.Count, totals.Wins, Usdc.FromMicros(totals.Pnl), Usdc.FromMicros(totals.Fees));
    }

    public async Task<IReadOnlyList<OpenedPosition>> GetRecentPositionsAsync(UserId user, int limit, CancellationToken cancellationToken)
    {
        // The open intent keeps the amount posted; the position keeps only what is still in it.
        var rows = await db.Positions.AsNoTracking()
            .Where(p => p.UserId == user)
            .OrderByDescending(p => p.OpenedAt)
            .Take(limit)
            .Join(db.OrderIntents.AsNoTracking(), p => p.OpenIntentId, i => i.Id, (p, i) => new { Position = p, Posted = i.Collateral })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new OpenedPosition(LedgerStore.ToDomain(r.Position), r.Posted)).ToArray();
    }

    private async Task<PlaceIntentResult> WhyNotClaimedAsync(OrderIntent intent, PositionId positionId, CancellationToken cancellationToken)
    {
        if (await FindIntentByKeyAsync(intent.User, intent.IdempotencyKey, cancellationToken) is { } earlier)
        {
            return new PlaceIntentResult(PlaceIntentOutcome.Duplicate, earlier, Empty(intent.User));
        }

        var position = await db.Positions.AsNoTracking().SingleOrDefaultAsync(p => p.Id == positionId, cancellationToken);
        var outcome = position is { Status: PositionStatus.Open, ClosingIntentId: not null } && position.UserId == intent.User
            ? PlaceIntentOutcome.PositionBusy
            : PlaceIntentOutcome.PositionNotOpen;
        return new PlaceIntentResult(outcome, intent, Empty(intent.User));
    }

    private async Task<OrderIntent?> FindIntentByKeyAsync(UserId user, string key, CancellationToken cancellationToken)
    {
        var row = await db.OrderIntents.AsNoTracking().SingleOrDefaultAsync(i => i.UserId == user && i.IdempotencyKey == key, cancellationToken);
        return row is null ? null : LedgerStore.ToDomain(row);
    }

    // A close holds no funds; callers of PlaceCloseAsync do not read the account.
    private static AccountSnapshot Empty(UserId user) => new(user, 0m, 0m);

    private static PositionClose ToDomain(PositionCloseEntity c) => new(
        c.IntentId, c.PositionId, c.UserId, LedgerStore.ParsePair(c.Pair), c.Side, c.Reason, c.Fraction, Usdc.FromMicros(c.ClosedCollateralMicros), c.Leverage,
        c.EntryPrice, c.ExitPrice, Usdc.FromMicros(c.GrossPnlMicros), Usdc.FromMicros(c.FeesMicros), Usdc.FromMicros(c.PayoutMicros),
        Usdc.FromMicros(c.RealizedPnlMicros), c.ClosedAt);
}
