using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Caching;
using VantaBot.Trading.Limits;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Limits;

/// <summary>Per-user limit overrides in the database, so every instance and every restart sees the same ones.</summary>
public sealed class RateLimitOverrideStore(VantaBotDbContext db, HotRowCache cache, TimeProvider time) : IRateLimitOverrides
{
    // Compiled: every limit check whose user is not in the HotRowCache reads the overrides.
    private static readonly PerModelQuery<Func<VantaBotDbContext, UserId, IAsyncEnumerable<RateLimitOverrideEntity>>> ForUserQuery = new(() =>
        EF.CompileAsyncQuery((VantaBotDbContext db, UserId user) => db.Set<RateLimitOverrideEntity>().AsNoTracking().Where(o => o.UserId == user)));

    public async Task<IReadOnlyList<RateLimitOverride>> GetAsync(UserId user, CancellationToken cancellationToken)
    {
        // Read by every limit check (once per update, twice per order); almost always empty, and rarely changed.
        if (cache.TryGetOverrides(user, out var cached))
        {
            return cached;
        }

        var overrides = new List<RateLimitOverride>();
        await foreach (var row in ForUserQuery.For(db)(db, user).WithCancellation(cancellationToken))
        {
            // A code this build does not know (written by a newer version) is ignored rather than failing every check.
            if (RateLimitNames.TryParse(row.Limit, out var name))
            {
                overrides.Add(new RateLimitOverride(row.UserId, name.Value, row.Value, row.SetBy, row.SetAt));
            }
        }

        cache.PutOverrides(user, overrides);
        return overrides;
    }

    public async Task SetAsync(UserId user, RateLimitName limit, long? value, UserId setBy, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(user, limit, value, setBy, cancellationToken);
        }
        finally
        {
            // After the write (also a failed one): a check that read the old rows meanwhile must not keep them.
            cache.EvictOverrides(user);
        }
    }

    private async Task WriteAsync(UserId user, RateLimitName limit, long? value, UserId setBy, CancellationToken cancellationToken)
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
