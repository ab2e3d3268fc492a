using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Audit;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// Appends rows whose SHA-256 hash covers the row and the previous row's hash, so an edited or deleted row
/// breaks the chain. Appends are serialized inside one transaction per row.
/// </summary>
public sealed class AuditLog(VantaBotDbContext db, TimeProvider time) : IAuditLog
{
    // Serializes appends within this process; across instances the serializable transaction below retries.
    private static readonly SemaphoreSlim AppendLock = new(1, 1);

    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await AppendLock.WaitAsync(cancellationToken);
        try
        {
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async ct =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
                var previous = await db.AuditLog.AsNoTracking().OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync(ct) ?? "";
                var entity = new AuditLogEntity
                {
                    At = time.GetUtcNow(),
                    ActorId = record.Actor?.Value,
                    ActorRole = record.ActorRole?.ToString() ?? "",
                    Command = Clip(record.Command, 64),
                    Arguments = Clip(record.Arguments, 1024),
                    Outcome = Clip(record.Outcome, 256),
                    TraceId = Clip(record.TraceId, 64),
                    PreviousHash = previous,
                };
                entity.Hash = ComputeHash(entity);
                db.AuditLog.Add(entity);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                db.Entry(entity).State = EntityState.Detached;
            }, cancellationToken);
        }
        finally
        {
            AppendLock.Release();
        }
    }

    public static string ComputeHash(AuditLogEntity row)
    {
        // Timestamps are hashed at the precision both databases keep (microseconds).
        var canonical = string.Join(
            '\u001f',
            row.PreviousHash,
            row.At.UtcTicks / 10,
            row.ActorId?.ToString(CultureInfo.InvariantCulture) ?? "",
            row.ActorRole,
            row.Command,
            row.Arguments,
            row.Outcome,
            row.TraceId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];
}
