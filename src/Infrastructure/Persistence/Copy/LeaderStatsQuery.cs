using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Copy;

/// <summary>
/// /leaders from the database: the ranking (trades, wins, realized PnL per opted-in trader) is summed in SQL over
/// <c>position_closes</c>, in integer micro-USDC; only the drawdown, which needs the closes in order, is computed
/// here — and only for the few leaders shown.
/// </summary>
public sealed class LeaderStatsQuery(VantaBotDbContext db) : ILeaderBoard
{
    public async Task<IReadOnlyList<BotLeaderStanding>> TopBotLeadersAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var closes = OwnCloses();
        var follows = db.Set<FollowEntity>().AsNoTracking();

        // Correlated sums rather than a join and GROUP BY, so an opted-in trader without a single close is ranked too (at 0).
        var rows = await db.Set<CopyLeaderEntity>().AsNoTracking()
            .Where(l => l.Enabled)
            .Select(l => new
            {
                l.UserId,
                Name = db.Users.Where(u => u.Id == l.UserId).Select(u => u.DisplayName).FirstOrDefault(),
                Trades = closes.Count(c => c.UserId == l.UserId),
                Wins = closes.Count(c => c.UserId == l.UserId && c.RealizedPnlMicros > 0),
                PnlMicros = closes.Where(c => c.UserId == l.UserId).Sum(c => (long?)c.RealizedPnlMicros) ?? 0L,
            })
            .OrderByDescending(r => r.PnlMicros)
            .ThenByDescending(r => r.Trades)
            .ThenBy(r => r.UserId)
            .Take(limit)
            .ToListAsync(cancellationToken);

        // The follower counts of the leaders shown, in one query (the follow table keys a bot leader by its id as text).
        var keys = rows.Select(r => LeaderRef.Bot(r.UserId).Key).ToList();
        var followers = await follows
            .Where(f => f.LeaderKind == LeaderKind.Bot && keys.Contains(f.LeaderKey))
            .GroupBy(f => f.LeaderKey)
            .Select(g => new { Key = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var standings = new List<BotLeaderStanding>(rows.Count);
        foreach (var row in rows)
        {
            var drawdown = await MaxDrawdownAsync(row.UserId, cancellationToken);
            var performance = new LeaderPerformance(row.Trades, row.Wins, Usdc.FromMicros(row.PnlMicros), drawdown);
            standings.Add(new BotLeaderStanding(row.UserId, row.Name ?? "", followers.GetValueOrDefault(LeaderRef.Bot(row.UserId).Key), performance));
        }

        return standings;
    }

    public async Task<IReadOnlyList<EvmLeaderActivity>> FollowedEvmLeadersAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var trades = db.Set<LeaderTradeEntity>().AsNoTracking();
        var rows = await db.Set<FollowEntity>().AsNoTracking()
            .Where(f => f.LeaderKind == LeaderKind.Evm)
            .GroupBy(f => f.LeaderKey)
            .Select(g => new
            {
                Address = g.Key,
                Followers = g.Count(),
                Swaps = trades.Count(t => t.LeaderKind == LeaderKind.Evm && t.LeaderKey == g.Key && t.Kind == LeaderTradeKind.Swap),
            })
            .OrderByDescending(r => r.Followers)
            .ThenBy(r => r.Address)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new EvmLeaderActivity(r.Address, r.Followers, r.Swaps)).ToArray();
    }

    /// <summary>
    /// The closes of positions the trader opened themselves: a leader's record is what a follower would copy, and
    /// copies (opened with a <c>copy:</c> key) are never mirrored on to the leader's own followers.
    /// </summary>
    private IQueryable<PositionCloseEntity> OwnCloses() =>
        from close in db.Set<PositionCloseEntity>().AsNoTracking()
        join position in db.Positions.AsNoTracking() on close.PositionId equals position.Id
        join open in db.OrderIntents.AsNoTracking() on position.OpenIntentId equals open.Id
        where !open.IdempotencyKey.StartsWith(LeaderTradeCapture.CopyKeyPrefix)
        select close;

    /// <summary>In settlement order (close time, then intent id for closes of the same instant), micro-USDC summed exactly.</summary>
    private async Task<decimal> MaxDrawdownAsync(UserId user, CancellationToken cancellationToken)
    {
        var pnls = await OwnCloses()
            .Where(c => c.UserId == user)
            .OrderBy(c => c.ClosedAt)
            .ThenBy(c => c.IntentId)
            .Select(c => c.RealizedPnlMicros)
            .ToListAsync(cancellationToken);
        return LeaderPerformance.MaxDrawdownOf(pnls.Select(Usdc.FromMicros));
    }
}
