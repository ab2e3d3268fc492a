namespace VantaBot.Infrastructure.Persistence.Outbox;

/// <summary>A notification to commit with the change it reports.</summary>
public sealed record OutboxNotice(string Key, long ChatId, string Text);

/// <summary>
/// Adds an outbox row to the caller's DbContext without saving: the caller's own SaveChanges inside its own
/// transaction commits the row together with the state change, or neither.
/// </summary>
public static class OutboxWriter
{
    public static void Add(VantaBotDbContext db, OutboxNotice notice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(notice);
        var text = notice.Text.Length <= 4096 ? notice.Text : notice.Text[..4095] + "…";
        db.Set<OutboxMessageEntity>().Add(new OutboxMessageEntity
        {
            Key = notice.Key,
            ChatId = notice.ChatId,
            Text = text,
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }
}
