using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>Key/value rows of admin-set global state; writes are upserts that are safe under concurrent writers.</summary>
public sealed class SystemSettingStore(VantaBotDbContext db, TimeProvider time)
{
    public async Task<IReadOnlyDictionary<string, string>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        await db.Set<SystemSettingEntity>().AsNoTracking().Where(s => keys.Contains(s.Key)).ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);

    public async Task SetAsync(string key, string value, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (await UpdateAsync(key, value, now, cancellationToken))
        {
            return;
        }

        var row = new SystemSettingEntity { Key = key, Value = value, UpdatedAt = now };
        db.Set<SystemSettingEntity>().Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another writer inserted the key first; ours is the later write, so it wins as an update.
            db.Entry(row).State = EntityState.Detached;
            await UpdateAsync(key, value, now, cancellationToken);
            return;
        }

        db.Entry(row).State = EntityState.Detached;
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken) =>
        db.Set<SystemSettingEntity>().Where(s => s.Key == key).ExecuteDeleteAsync(cancellationToken);

    private async Task<bool> UpdateAsync(string key, string value, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Set<SystemSettingEntity>().Where(s => s.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, value).SetProperty(x => x.UpdatedAt, now), cancellationToken) > 0;
}
