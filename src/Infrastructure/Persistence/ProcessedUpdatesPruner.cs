using Microsoft.EntityFrameworkCore;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>Deletes dedupe rows older than the retention age; Telegram never re-delivers an update that old.</summary>
public sealed class ProcessedUpdatesPruner(VantaBotDbContext db)
{
    public async Task<int> PruneAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        // The newest row always stays: polling resumes from the highest update_id, even after a long quiet spell.
        var highest = await db.ProcessedUpdates.MaxAsync(u => (long?)u.UpdateId, cancellationToken);
        if (highest is null)
        {
            return 0;
        }

        return await db.ProcessedUpdates
            .Where(u => u.ReceivedAt < receivedBefore && u.UpdateId < highest.Value)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
