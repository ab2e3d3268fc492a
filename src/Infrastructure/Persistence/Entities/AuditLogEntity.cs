namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>Append-only; <see cref="Hash"/> covers this row's fields and <see cref="PreviousHash"/>, chaining the log.</summary>
public sealed class AuditLogEntity
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public long? ActorId { get; set; }

    public string ActorRole { get; set; } = "";

    public string Command { get; set; } = "";

    public string Arguments { get; set; } = "";

    public string Outcome { get; set; } = "";

    public string TraceId { get; set; } = "";

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";
}
