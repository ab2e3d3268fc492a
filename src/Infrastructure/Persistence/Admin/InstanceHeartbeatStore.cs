using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;

namespace VantaBot.Infrastructure.Persistence;

public sealed record InstanceSeen(string InstanceId, string Host, string Version, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt);

public sealed class InstanceHeartbeatStore(VantaBotDbContext db)
{
    public async Task BeatAsync(InstanceSeen instance, CancellationToken cancellationToken)
    {
        var set = db.Set<InstanceHeartbeatEntity>();
        var updated = await set.Where(h => h.InstanceId == instance.InstanceId)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.LastSeenAt, instance.LastSeenAt), cancellationToken);
        if (updated > 0)
        {
            return;
        }

        var row = new InstanceHeartbeatEntity
        {
            InstanceId = instance.InstanceId,
            Host = instance.Host,
            Version = instance.Version,
            StartedAt = instance.StartedAt,
            LastSeenAt = instance.LastSeenAt,
        };
        set.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(row).State = EntityState.Detached;
    }

    public async Task<IReadOnlyList<InstanceSeen>> SeenSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        await db.Set<InstanceHeartbeatEntity>().AsNoTracking()
            .Where(h => h.LastSeenAt >= since)
            .OrderBy(h => h.StartedAt)
            .Select(h => new InstanceSeen(h.InstanceId, h.Host, h.Version, h.StartedAt, h.LastSeenAt))
            .ToListAsync(cancellationToken);

    /// <summary>Rows of instances gone for longer than <paramref name="olderThan"/>; keeps the table small.</summary>
    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        db.Set<InstanceHeartbeatEntity>().Where(h => h.LastSeenAt < olderThan).ExecuteDeleteAsync(cancellationToken);
}
