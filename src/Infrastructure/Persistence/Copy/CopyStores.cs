using Microsoft.EntityFrameworkCore;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Copy;

public sealed class FollowStore(VantaBotDbContext db, TimeProvider time) : IFollowStore
{
    public async Task<FollowChange> UpsertAsync(Follow follow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(follow);
        var now = time.GetUtcNow();
        var pairs = follow.Settings.Pairs is null ? null : string.Join(',', follow.Settings.Pairs.Order(StringComparer.Ordinal));
        var existing = await db.Set<FollowEntity>().SingleOrDefaultAsync(
            f => f.FollowerId == follow.Follower && f.LeaderKind == follow.Leader.Kind && f.LeaderKey == follow.Leader.Key, cancellationToken);
        var change = existing is null ? FollowChange.Created : FollowChange.Updated;
        if (existing is null)
        {
            existing = new FollowEntity { FollowerId = follow.Follower, LeaderKind = follow.Leader.Kind, LeaderKey = follow.Leader.Key, CreatedAt = now };
            db.Add(existing);
        }

        existing.SizeKind = follow.Settings.Size.Kind;
        existing.SizeValue = follow.Settings.Size.Value;
        existing.MaxUsd = follow.Settings.MaxUsd;
        existing.MaxLeverage = follow.Settings.MaxLeverage;
        existing.Pairs = pairs;
        existing.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (change == FollowChange.Created)
        {
            // The same /follow delivered twice at once: the other insert won, and it holds the same follow.
            db.ChangeTracker.Clear();
            return FollowChange.Updated;
        }

        return change;
    }

    public async Task<bool> RemoveAsync(UserId follower, LeaderRef leader, CancellationToken cancellationToken) =>
        await db.Set<FollowEntity>()
            .Where(f => f.FollowerId == follower && f.LeaderKind == leader.Kind && f.LeaderKey == leader.Key)
            .ExecuteDeleteAsync(cancellationToken) > 0;

    public async Task<IReadOnlyList<Follow>> ListByFollowerAsync(UserId follower, CancellationToken cancellationToken)
    {
        var rows = await db.Set<FollowEntity>().AsNoTracking()
            .Where(f => f.FollowerId == follower)
            .OrderBy(f => f.CreatedAt)
            .ToListAsync(cancellationToken);
        return rows.Select(f => f.ToDomain()).ToList();
    }

    public async Task<Follow?> FindAsync(UserId follower, LeaderRef leader, CancellationToken cancellationToken)
    {
        var row = await db.Set<FollowEntity>().AsNoTracking().SingleOrDefaultAsync(
            f => f.FollowerId == follower && f.LeaderKind == leader.Kind && f.LeaderKey == leader.Key, cancellationToken);
        return row?.ToDomain();
    }

    public async Task<IReadOnlyList<string>> ListFollowedEvmAddressesAsync(CancellationToken cancellationToken) =>
        await db.Set<FollowEntity>().AsNoTracking()
            .Where(f => f.LeaderKind == LeaderKind.Evm)
            .Select(f => f.LeaderKey)
            .Distinct()
            .OrderBy(k => k)
            .ToListAsync(cancellationToken);
}

public sealed class CopyLeaderStore(VantaBotDbContext db, TimeProvider time) : ICopyLeaderStore
{
    public async Task<bool> SetAsync(UserId user, bool enabled, CancellationToken cancellationToken)
    {
        var row = await db.Set<CopyLeaderEntity>().SingleOrDefaultAsync(l => l.UserId == user, cancellationToken);
        var previous = row?.Enabled ?? false;
        if (row is null)
        {
            row = new CopyLeaderEntity { UserId = user };
            db.Add(row);
        }

        row.Enabled = enabled;
        row.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent first /leader of the same trader inserted the row: write the setting onto it.
            db.ChangeTracker.Clear();
            await db.Set<CopyLeaderEntity>().Where(l => l.UserId == user)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Enabled, enabled).SetProperty(l => l.UpdatedAt, time.GetUtcNow()), cancellationToken);
        }

        return previous;
    }

    public Task<bool> IsLeaderAsync(UserId user, CancellationToken cancellationToken) =>
        db.Set<CopyLeaderEntity>().AnyAsync(l => l.UserId == user && l.Enabled, cancellationToken);

    public async Task<IReadOnlyList<UserId>> ListAsync(CancellationToken cancellationToken) =>
        await db.Set<CopyLeaderEntity>().AsNoTracking().Where(l => l.Enabled).Select(l => l.UserId).ToListAsync(cancellationToken);
}

/// <summary>
/// Records leader trades once per source key. The unique index settles a race between two watchers (or two
/// instances) seeing the same trade; the loser gets false.
/// </summary>
public sealed class LeaderTradeInbox(VantaBotDbContext db, TimeProvider time) : ILeaderTradeInbox
{
    public async Task<bool> RecordAsync(LeaderTrade trade, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trade);
        if (await db.Set<LeaderTradeEntity>().AnyAsync(t => t.SourceKey == trade.SourceKey, cancellationToken))
        {
            return false;
        }

        var entity = LeaderTradeEntity.From(trade, time.GetUtcNow());
        db.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(entity).State = EntityState.Detached;
            if (await db.Set<LeaderTradeEntity>().AnyAsync(t => t.SourceKey == trade.SourceKey, cancellationToken))
            {
                return false;
            }

            throw;
        }
    }
}
