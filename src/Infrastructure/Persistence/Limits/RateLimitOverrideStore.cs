using Microsoft.EntityFrameworkCore;
using VantaBot.Trading.Limits;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Limits;

/// <summary>Per-user limit overrides in the database, so every instance and every restart sees the same ones.</summary>
public sealed class RateLimitOverrideStore(VantaBotDbContext db, TimeProvider time) : IRateLimitOverrides
{
    public async Task<IReadOnlyList<RateLimitOverride>> GetAsync(UserId user, CancellationToken cancellationToken)
    {
        var rows = await db.Set<RateLimitOverrideEntity>().AsNoTracking().Where(o => o.UserId == user).ToListAsync(cancellationToken);
        var overrides = new List<RateLimitOverride>(rows.Count);
        foreach (var row in rows)
        {
            // A code this build does not know (written by a newer version) is ignored rather than failing every check.
            if (RateLimitNames.TryParse(row.Limit, out var name))
            {
                overrides.Add(new RateLimitOverride(row.UserId, name.Value, row.Value, row.SetBy, row.SetAt));
            }
        }

        return overrides;
    }

    public async Task SetAsync(UserId user, RateLimitName limit, long? value, UserId setBy, CancellationToken cancellationToken)
    {
        var code = limit.Code();
        var set = db.Set<RateLimitOverrideEntity>();
        if (value is null)
        {
            await set.Where(o => o.UserId == user && o.Limit == code).ExecuteDeleteAsync(cancellationToken);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(value.Value);
        var now = time.GetUtcNow();
        var updated = await set.Where(o => o.UserId == user && o.Limit == code)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Value, value.Value).SetProperty(o => o.SetBy, setBy).SetProperty(o => o.SetAt, now), cancellationToken);
        if (updated > 0)
        {
            return;
        }

        set.Add(new RateLimitOverrideEntity { UserId = user, Limit = code, Value = value.Value, SetBy = setBy, SetAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another admin inserted it a moment ago; the last writer wins, as with the update above.
            db.ChangeTracker.Clear();
            await set.Where(o => o.UserId == user && o.Limit == code)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Value, value.Value).SetProperty(o => o.SetBy, setBy).SetProperty(o => o.SetAt, now), cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public Task<int> CountAsync(CancellationToken cancellationToken) => db.Set<RateLimitOverrideEntity>().CountAsync(cancellationToken);
}
