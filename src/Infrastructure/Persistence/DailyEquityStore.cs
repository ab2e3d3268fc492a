using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.DailyLoss;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

public sealed class DailyEquityStore(VantaBotDbContext db) : IDailyEquityStore
{
    public async Task<decimal?> FindAsync(UserId user, DateOnly day, CancellationToken cancellationToken) =>
        await db.Set<DailyEquitySnapshotEntity>().AsNoTracking()
            .Where(s => s.UserId == user && s.Day == day)
            .Select(s => (decimal?)s.Equity)
            .SingleOrDefaultAsync(cancellationToken);

    public async Task<bool> TryAddAsync(UserId user, DateOnly day, decimal equity, DateTimeOffset takenAt, CancellationToken cancellationToken)
    {
        var entity = new DailyEquitySnapshotEntity { UserId = user, Day = day, Equity = equity, TakenAt = takenAt };
        db.Set<DailyEquitySnapshotEntity>().Add(entity);
        try
        {
            // The primary key decides between the reset job, the lazy first-trade snapshot and other instances.
            await db.SaveChangesAsync(cancellationToken);
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
