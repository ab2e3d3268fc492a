using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;

namespace VantaBot.Infrastructure.Persistence;

public sealed class AuditReader(VantaBotDbContext db)
{
    /// <summary>The newest <paramref name="count"/> rows, newest first.</summary>
    public async Task<IReadOnlyList<AuditLogEntity>> LatestAsync(int count, CancellationToken cancellationToken) =>
        await db.Set<AuditLogEntity>().AsNoTracking().OrderByDescending(a => a.Id).Take(count).ToListAsync(cancellationToken);
}
