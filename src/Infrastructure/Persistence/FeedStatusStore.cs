using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Prices;

namespace VantaBot.Infrastructure.Persistence;

public sealed class FeedStatusStore(VantaBotDbContext db) : IFeedStatusStore
{
    public async Task<FeedStatusChange?> SetAsync(string subject, string status, string detail, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var clipped = detail.Length <= 256 ? detail : detail[..256];
        var rows = db.Set<FeedStatusEntity>();
        var current = await rows.AsNoTracking().Where(s => s.Subject == subject).Select(s => s.Status).SingleOrDefaultAsync(cancellationToken);
        if (current == status)
        {
            return null;
        }

        if (current is not null)
        {
            // Compare-and-set on the status read: of two instances seeing the same change, exactly one wins.
            var changed = await rows.Where(s => s.Subject == subject && s.Status == current)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, status).SetProperty(e => e.Detail, clipped).SetProperty(e => e.ChangedAt, at), cancellationToken);
            return changed == 1 ? new FeedStatusChange(subject, current, status, detail) : null;
        }

        var entity = new FeedStatusEntity { Subject = subject, Status = status, Detail = clipped, ChangedAt = at };
        rows.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new FeedStatusChange(subject, null, status, detail);
        }
        catch (DbUpdateException)
        {
            // Another instance recorded the subject first; its record is the announcement.
            return null;
        }
        finally
        {
            db.Entry(entity).State = EntityState.Detached;
        }
    }
}
