namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>One row per Telegram update_id ever accepted; the primary key makes a re-delivery a no-op.</summary>
public sealed class ProcessedUpdateEntity
{
    public long UpdateId { get; set; }

    public string Kind { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }
}
