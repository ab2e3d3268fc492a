using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Execution;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

public sealed class LiveOptInStore(VantaBotDbContext db, TimeProvider time) : ILiveOptInStore
{
    public Task<bool> IsOptedInAsync(UserId user, CancellationToken cancellationToken) =>
        db.Set<LiveOptInEntity>().AsNoTracking().AnyAsync(o => o.UserId == user, cancellationToken);

    public async Task SetAsync(UserId user, bool optedIn, CancellationToken cancellationToken)
    {
        if (!optedIn)
        {
            await db.Set<LiveOptInEntity>().Where(o => o.UserId == user).ExecuteDeleteAsync(cancellationToken);
            return;
        }

        if (await IsOptedInAsync(user, cancellationToken))
        {
            return;
        }

        var row = new LiveOptInEntity { UserId = user, OptedInAt = time.GetUtcNow() };
        db.Set<LiveOptInEntity>().Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent /live on got there first: the user is opted in either way.
        }
        finally
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }
}
