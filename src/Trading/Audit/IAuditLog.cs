namespace VantaBot.Trading.Audit;

/// <summary>Append-only, hash-chained record of admin actions and denied attempts.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditRecord record, CancellationToken cancellationToken);
}
