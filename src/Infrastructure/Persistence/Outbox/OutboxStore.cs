using Microsoft.EntityFrameworkCore;

namespace VantaBot.Infrastructure.Persistence.Outbox;

/// <summary>A row the relay claimed and must now deliver.</summary>
public sealed record ClaimedOutboxMessage(long Id, string Key, long ChatId, string Text, int Attempts);

/// <summary>
/// The relay's side of the outbox. Claims are optimistic (a conditional UPDATE moving next_attempt_at forward by a
/// lease), so relays on several instances never send the same row at the same time.
/// </summary>
public sealed class OutboxStore(VantaBotDbContext db, TimeProvider time)
{
    /// <summary>Undelivered rows older than <paramref name="grace"/> and due, claimed for <paramref name="lease"/>.</summary>
    public async Task<IReadOnlyList<ClaimedOutboxMessage>> ClaimDueAsync(TimeSpan grace, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var createdBefore = now - grace;
        var due = await db.Set<OutboxMessageEntity>().AsNoTracking()
            .Where(m => m.DeliveredAt == null && m.CreatedAt <= createdBefore && m.NextAttemptAt <= now)
            .OrderBy(m => m.Id)
            .Take(max)
            .ToListAsync(cancellationToken);
        var claimed = new List<ClaimedOutboxMessage>(due.Count);
        var until = now + lease;
        foreach (var row in due)
        {
            var seen = row.NextAttemptAt;
            int won;
            try
            {
                won = await db.Set<OutboxMessageEntity>()
                    .Where(m => m.Id == row.Id && m.DeliveredAt == null && m.NextAttemptAt == seen)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, until).SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
            }
            catch (Exception) when (claimed.Count > 0 && !cancellationToken.IsCancellationRequested)
            {
                // Found by the fault suite: the database went away mid-batch. The rows claimed so far are leased
                // (committed); throwing would drop them from this pass and leave them silent for the whole lease.
                break;
            }

            if (won == 1)
            {
                claimed.Add(new ClaimedOutboxMessage(row.Id, row.Key, row.ChatId, row.Text, row.Attempts + 1));
            }
        }

        return claimed;
    }

    /// <summary>Marks the row delivered; a key without a row (an outcome that wrote none) is a no-op.</summary>
    public async Task<bool> MarkDeliveredAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await db.Set<OutboxMessageEntity>()
            .Where(m => m.Key == key && m.DeliveredAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveredAt, now), cancellationToken) == 1;
    }

    /// <summary>A failed attempt: try again after <paramref name="retryIn"/>.</summary>
    public async Task RecordFailureAsync(long id, string error, TimeSpan retryIn, CancellationToken cancellationToken)
    {
        var next = time.GetUtcNow() + retryIn;
        var clipped = error.Length <= 512 ? error : error[..512];
        await db.Set<OutboxMessageEntity>()
            .Where(m => m.Id == id && m.DeliveredAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LastError, clipped), cancellationToken);
    }

    public Task<int> CountUndeliveredAsync(CancellationToken cancellationToken) =>
        db.Set<OutboxMessageEntity>().CountAsync(m => m.DeliveredAt == null, cancellationToken);
}
