using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Audit;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// Appends rows whose SHA-256 hash covers the row and the previous row's hash, so an edited or deleted row
/// breaks the chain; the head anchor (<see cref="AuditHead"/>) moves in the same transaction, so rows deleted
/// from the end show too. Arguments are redacted of anything that looks like a secret before they are stored.
/// </summary>
public sealed class AuditLog(VantaBotDbContext db, TimeProvider time) : IAuditLog
{
    // Serializes appends within this process; across instances the serializable transaction below retries.
    private static readonly SemaphoreSlim AppendLock = new(1, 1);

    private const int MaxAttempts = 8;

    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await AppendLock.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await AppendOnceAsync(record, cancellationToken);
                    return;
                }
                catch (Exception ex) when (attempt < MaxAttempts && IsConflict(ex))
                {
                    // Another instance appended between our read of the last hash and our commit: read again.
                    db.ChangeTracker.Clear();
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), time, cancellationToken);
                }
            }
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

    private async Task AppendOnceAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        var previous = await db.AuditLog.AsNoTracking().OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync(cancellationToken) ?? "";
        var entity = new AuditLogEntity
        {
            At = time.GetUtcNow(),
            ActorId = record.Actor?.Value,
            ActorRole = record.ActorRole?.ToString() ?? "",
            Command = Clip(record.Command, 64),
            Arguments = Clip(SecretRedactor.Redact(record.Arguments), 1024),
            Outcome = Clip(SecretRedactor.Redact(record.Outcome), 256),
            TraceId = Clip(record.TraceId, 64),
            PreviousHash = previous,
        };
        entity.Hash = ComputeHash(entity);
        db.AuditLog.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        await MoveHeadAsync(new AuditHead(entity.Id, entity.Hash), entity.At, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        db.Entry(entity).State = EntityState.Detached;
    }

    private async Task MoveHeadAsync(AuditHead head, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var value = head.Format();
        var updated = await db.SystemSettings.Where(s => s.Key == AuditHead.SettingKey)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, value).SetProperty(x => x.UpdatedAt, at), cancellationToken);
        if (updated == 0)
        {
            // The first row ever: a concurrent first append fails on the key and retries from the top.
            var row = new SystemSettingEntity { Key = AuditHead.SettingKey, Value = value, UpdatedAt = at };
            db.SystemSettings.Add(row);
            await db.SaveChangesAsync(cancellationToken);
            db.Entry(row).State = EntityState.Detached;
        }
    }

    /// <summary>PostgreSQL serialization failure or a lost race on the head's key; SQLite busy.</summary>
    private static bool IsConflict(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Npgsql.PostgresException { SqlState: "40001" or "40P01" or "23505" }:
                case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 or 19 }:
                    return true;
            }
        }

        return false;
    }

    /// <summary>Hashed exactly as stored: see <see cref="StorableText"/>.</summary>
    private static string Clip(string value, int max) => StorableText.Clip(value, max);
}
