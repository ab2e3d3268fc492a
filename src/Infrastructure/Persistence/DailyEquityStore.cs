using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Caching;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.DailyLoss;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>Day-start snapshots are insert-if-absent and never change, so a stored one is served from memory afterwards.</summary>
public sealed class DailyEquityStore(VantaBotDbContext db, HotRowCache cache) : IDailyEquityStore
{
    // Compiled: an open whose day start is not in the HotRowCache reads it before the risk check.
    private static readonly PerModelQuery<Func<VantaBotDbContext, UserId, DateOnly, CancellationToken, Task<decimal?>>> DayStartQuery = new(() =>
        EF.CompileAsyncQuery((VantaBotDbContext db, UserId user, DateOnly day, CancellationToken _) => db.Set<DailyEquitySnapshotEntity>().AsNoTracking()
            .Where(s => s.UserId == user && s.Day == day)
            .Select(s => (decimal?)s.Equity)
            .SingleOrDefault()));

    public async Task<decimal?> FindAsync(UserId user, DateOnly day, CancellationToken cancellationToken)
    {
        if (cache.TryGetDayStart(user, day, out var known))
        {
            return known;
        }

        var stored = await DayStartQuery.For(db)(db, user, day, cancellationToken);
        if (stored is { } equity)
        {
            cache.PutDayStart(user, day, equity);
        }

        return stored;
    }

    public async Task<bool> TryAddAsync(UserId user, DateOnly day, decimal equity, DateTimeOffset takenAt, CancellationToken cancellationToken)
    {
        var entity = new DailyEquitySnapshotEntity { UserId = user, Day = day, Equity = equity, TakenAt = takenAt };
        db.Set<DailyEquitySnapshotEntity>().Add(entity);
        try
        {
            // The primary key decides between the reset job, the lazy first-trade snapshot and other instances.
            await db.SaveChangesAsync(cancellationToken);
            cache.PutDayStart(user, day, equity);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(entity).State = EntityState.Detached;
            if (await FindAsync(user, day, cancellationToken) is not null)
            {
                return false;
            }

            throw;
        }
        finally
        {
            db.Entry(entity).State = EntityState.Detached;
        }
    }

    public async Task<IReadOnlyList<UserId>> AccountHoldersAsync(CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking().OrderBy(a => a.UserId).Select(a => a.UserId).ToListAsync(cancellationToken);
}
