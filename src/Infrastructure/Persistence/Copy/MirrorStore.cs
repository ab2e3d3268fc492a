using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Copy.Mirroring;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Copy;

/// <summary>
/// The mirrors table on SQLite and PostgreSQL alike. The fan-out is one set-based INSERT … SELECT … ON CONFLICT DO
/// NOTHING per leader trade, committed with the trade's <c>fanned_out_at</c>, so 10,000 followers cost one statement
/// and two instances fanning out the same trade queue each mirror once (the unique index settles it). Claims are
/// one conditional UPDATE … RETURNING: the re-checked condition makes a row go to one worker only.
/// </summary>
public sealed class MirrorStore(VantaBotDbContext db, TimeProvider time) : IMirrorStore
{
    private const string Pending = nameof(MirrorState.Pending);

    public async Task<int> FanOutAsync(int maxTrades, CancellationToken cancellationToken)
    {
        var trades = await db.Set<LeaderTradeEntity>().AsNoTracking()
            .Where(t => t.FannedOutAt == null)
            .OrderBy(t => t.Id)
            .Take(maxTrades)
            .Select(t => new { t.Id, t.Kind, t.LeaderPositionId })
            .ToListAsync(cancellationToken);
        var fanned = 0;
        var deferredPositions = new HashSet<Guid>();
        foreach (var trade in trades)
        {
            long? openTradeId = null;
            if (trade.Kind == LeaderTradeKind.PerpClose)
            {
                var positionId = trade.LeaderPositionId!.Value;
                openTradeId = await OpenTradeOfAsync(positionId, cancellationToken);

                // A close queued while its open is still being copied would miss the followers not yet filled (they
                // would be left holding): it waits for the open's mirrors, and later closes of the position wait with it.
                if (deferredPositions.Contains(positionId) || (openTradeId is { } open && !await IsSettledAsync(open, cancellationToken)))
                {
                    deferredPositions.Add(positionId);
                    continue;
                }
            }

            if (await FanOutOneAsync(trade.Id, trade.Kind, openTradeId, cancellationToken))
            {
                fanned++;
            }
        }

        return fanned;
    }

    private async Task<bool> FanOutOneAsync(long tradeId, LeaderTradeKind kind, long? openTradeId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var key = MirrorPlanner.KeyFor(tradeId);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);

        // The INSERT is the transaction's first statement: SQLite takes its write lock up front.
        if (kind == LeaderTradeKind.PerpClose)
        {
            // Only followers who hold a mirrored part of the leader's position, whether or not they still follow.
            var open = openTradeId ?? -1;
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO copy_mirrors (leader_trade_id, follower_id, state, idempotency_key, attempts, created_at, updated_at)
                SELECT {tradeId}, m.follower_id, {Pending}, {key}, 0, {now}, {now}
                FROM copy_mirrors m
                WHERE m.leader_trade_id = {open} AND m.state = 'Done'
                ON CONFLICT (leader_trade_id, follower_id) DO NOTHING
                """,
                cancellationToken);
        }
        else
        {
            // Followers whose follow existed when the leader traded: a follow made later does not copy the past — not
            // even a swap the watcher records after the follow because it waited for the confirmation depth.
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO copy_mirrors (leader_trade_id, follower_id, state, idempotency_key, attempts, created_at, updated_at)
                SELECT t.id, f.follower_id, {Pending}, {key}, 0, {now}, {now}
                FROM copy_leader_trades t
                JOIN copy_follows f ON f.leader_kind = t.leader_kind AND f.leader_key = t.leader_key
                WHERE t.id = {tradeId} AND f.created_at <= t.occurred_at
                ON CONFLICT (leader_trade_id, follower_id) DO NOTHING
                """,
                cancellationToken);
        }

        var marked = await db.Set<LeaderTradeEntity>()
            .Where(t => t.Id == tradeId && t.FannedOutAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.FannedOutAt, time.GetUtcNow()), cancellationToken);
        if (marked == 0)
        {
            // Another instance fanned it out meanwhile; its rows stand, ours were no-ops.
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await tx.CommitAsync(cancellationToken);
        return true;
    }

    private Task<long?> OpenTradeOfAsync(Guid leaderPosition, CancellationToken cancellationToken) =>
        db.Set<LeaderTradeEntity>().AsNoTracking()
            .Where(t => t.Kind == LeaderTradeKind.PerpOpen && t.LeaderPositionId == leaderPosition)
            .OrderBy(t => t.Id)
            .Select(t => (long?)t.Id)
            .FirstOrDefaultAsync(cancellationToken);

    private async Task<bool> IsSettledAsync(long openTradeId, CancellationToken cancellationToken)
    {
        var open = await db.Set<LeaderTradeEntity>().AsNoTracking().Where(t => t.Id == openTradeId).Select(t => t.FannedOutAt).SingleAsync(cancellationToken);
        return open is not null
            && !await db.Set<MirrorEntity>().AnyAsync(m => m.LeaderTradeId == openTradeId && m.State == MirrorState.Pending, cancellationToken);
    }

    public async Task<IReadOnlyList<ClaimedMirror>> ClaimDueAsync(int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ids = await ClaimIdsAsync(max, now.UtcDateTime, (now + lease).UtcDateTime, cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await db.Set<MirrorEntity>().AsNoTracking()
            .Where(m => ids.Contains(m.Id))
            .Join(db.Set<LeaderTradeEntity>().AsNoTracking(), m => m.LeaderTradeId, t => t.Id, (m, t) => new { Mirror = m, Trade = t })
            .OrderBy(r => r.Mirror.Id)
            .ToListAsync(cancellationToken);
        // The batch's follows in one query, matched to each mirror's leader here.
        var followers = rows.Select(r => r.Mirror.FollowerId).Distinct().ToList();
        var follows = (await db.Set<FollowEntity>().AsNoTracking().Where(f => followers.Contains(f.FollowerId)).ToListAsync(cancellationToken))
            .ToDictionary(f => (f.FollowerId, f.LeaderKind, f.LeaderKey));
        var claimed = new List<ClaimedMirror>(rows.Count);
        foreach (var row in rows)
        {
            var trade = row.Trade.ToDomain();
            var follower = row.Mirror.FollowerId;
            var follow = follows.GetValueOrDefault((follower, row.Trade.LeaderKind, row.Trade.LeaderKey));
            PositionId? mirrored = null;
            long? openTradeId = null;
            if (trade is LeaderTrade.PerpClose close)
            {
                openTradeId = await OpenTradeOfAsync(close.LeaderPosition.Value, cancellationToken);
                var position = await db.Set<MirrorEntity>().AsNoTracking()
                    .Where(m => m.LeaderTradeId == openTradeId && m.FollowerId == follower)
                    .Select(m => m.FollowerPositionId)
                    .SingleOrDefaultAsync(cancellationToken);
                mirrored = position is { } id ? new PositionId(id) : null;
            }

            claimed.Add(new ClaimedMirror(row.Mirror.Id, row.Mirror.LeaderTradeId, follower, trade, follow?.ToDomain().Settings, row.Mirror.Attempts, mirrored, openTradeId));
        }

        return claimed;
    }

    /// <summary>
    /// One statement both databases speak. The outer WHERE repeats the due condition: on PostgreSQL a concurrent
    /// claimer waiting on the row lock re-checks it against the committed row and skips a row another worker took.
    /// </summary>
    private async Task<List<long>> ClaimIdsAsync(int max, DateTime now, DateTime until, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText =
                """
                UPDATE copy_mirrors SET claimed_until = @until, attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM copy_mirrors
                    WHERE state = 'Pending' AND (claimed_until IS NULL OR claimed_until <= @now)
                    ORDER BY id LIMIT @max)
                  AND state = 'Pending' AND (claimed_until IS NULL OR claimed_until <= @now)
                RETURNING id
                """;
            Add(command, "@until", until);
            Add(command, "@now", now);
            Add(command, "@max", max);
            var ids = new List<long>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }

            return ids;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    public async Task<bool> ResolveAsync(ClaimedMirror mirror, MirrorResolution resolution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        ArgumentNullException.ThrowIfNull(resolution);
        var (state, reason, position, notice) = resolution switch
        {
            MirrorResolution.Done done => (MirrorState.Done, done.Note, done.Position?.Value, done.Notice),
            MirrorResolution.Skipped skipped => (MirrorState.Skipped, skipped.Reason, (Guid?)null, skipped.Notice),
            MirrorResolution.Failed failed => (MirrorState.Failed, failed.Reason, (Guid?)null, failed.Notice),
            _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution.GetType().Name, "Unknown mirror resolution."),
        };
        var clipped = reason is { Length: > 512 } ? reason[..511] + "…" : reason;
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var won = await db.Set<MirrorEntity>()
            .Where(m => m.Id == mirror.Id && m.State == MirrorState.Pending)
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.State, state)
                    .SetProperty(m => m.Reason, clipped)
                    .SetProperty(m => m.FollowerPositionId, position)
                    .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null)
                    .SetProperty(m => m.UpdatedAt, now),
                cancellationToken);
        if (won == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        if (notice is not null)
        {
            // Committed with the state: the follower hears of a skip once, even across a crash right after.
            OutboxWriter.Add(db, new OutboxNotice(NoticeKey(mirror.Id), mirror.Follower.Value, notice), now);
            await db.SaveChangesAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    public async Task ReleaseAsync(long mirrorId, TimeSpan retryIn, CancellationToken cancellationToken)
    {
        var next = time.GetUtcNow() + retryIn;
        await db.Set<MirrorEntity>()
            .Where(m => m.Id == mirrorId && m.State == MirrorState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)next), cancellationToken);
    }

    /// <summary>The outbox key of a mirror's notice to its follower.</summary>
    public static string NoticeKey(long mirrorId) => "copy:" + mirrorId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
