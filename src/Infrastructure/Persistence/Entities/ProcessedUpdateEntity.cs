namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>
/// One row per Telegram update_id ever accepted; the primary key makes a re-delivery a no-op once the update is
/// completed (or while a live claim on it is younger than the abandonment age).
/// </summary>
public sealed class ProcessedUpdateEntity
{
    public long UpdateId { get; set; }

    public string Kind { get; set; } = "";

    /// <summary>When the current claim was taken (a re-claim of an abandoned update moves it).</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Null while the update is being handled; set once its work and reply are handed on.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}
