using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;

namespace VantaBot.Infrastructure.Persistence;

public sealed class ProcessedUpdateStore(VantaBotDbContext db, TimeProvider time) : IProcessedUpdateStore
{
    public async Task<bool> TryClaimAsync(long updateId, string kind, CancellationToken cancellationToken)
    {
        var entity = new ProcessedUpdateEntity { UpdateId = updateId, Kind = kind, ReceivedAt = time.GetUtcNow() };
        db.ProcessedUpdates.Add(entity);
        try
        {
            // The primary key decides races between instances; no read-then-write window.
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(entity).State = EntityState.Detached;
            if (await db.ProcessedUpdates.AnyAsync(u => u.UpdateId == updateId, cancellationToken))
            {
                return false;
            }

            throw;
        }
    }

    public async Task<long?> GetHighestAsync(CancellationToken cancellationToken) =>
        await db.ProcessedUpdates.MaxAsync(u => (long?)u.UpdateId, cancellationToken);
}
