using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// Applies the migrations at start-up, retrying with backoff while the database is unreachable. Two instances
/// starting together never migrate at once: on SQLite EF Core's lock table serializes them; on PostgreSQL we
/// hold our own advisory lock for the whole run (EF's lock alone let two migrators both apply a later migration).
/// </summary>
public sealed class DatabaseInitializer(
    IServiceScopeFactory scopes,
    DatabaseReadiness readiness,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await MigrateAsync(scopes, stoppingToken);
                readiness.MarkReady();
                logger.LogInformation("Database ready");
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                readiness.MarkFailed(DatabaseErrors.Describe(ex));
                logger.LogError("Database not ready ({Reason}); retrying in {Delay}", DatabaseErrors.Describe(ex), backoff);
                await Task.Delay(backoff, time, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    public static async Task MigrateAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await MigrateAsync(scope.ServiceProvider.GetRequiredService<VantaBotDbContext>(), cancellationToken);
    }

    public static async Task MigrateAsync(VantaBotDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while one writer commits; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (db.Database.IsNpgsql())
        {
            // A session-level advisory lock on a connection of its own serializes migrators across instances for
            // the whole run; EF's built-in lock alone let two instances both apply a later migration here. The
            // guard connection is unpooled: a pooled one would go back to the pool on dispose with the session,
            // and so the lock, still alive, and every other instance would wait for it forever.
            var guardConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString;
            await using var guard = new Npgsql.NpgsqlConnection(guardConnectionString);
            await guard.OpenAsync(cancellationToken);
            await using (var lockCommand = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", guard))
            {
                // Bounded: a wait that never ends must fail and be retried by the start-up loop, not hang the instance.
                lockCommand.CommandTimeout = 120;
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                try
                {
                    await using var unlock = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", guard);
                    await unlock.ExecuteNonQueryAsync(CancellationToken.None);
                }
                catch (Npgsql.NpgsqlException)
                {
                    // A broken guard connection: disposing the unpooled session releases the lock all the same.
                }
            }

            return;
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Arbitrary but fixed: every VantaBot instance must use the same key.</summary>
    private const long MigrationLockKey = 0x5661_6e74_6142_6f74;
}

/// <summary>Turns database exceptions into one operator-readable line without connection-string secrets.</summary>
public static class DatabaseErrors
{
    public static string Describe(Exception ex)
    {
        var root = ex;
        while (root.InnerException is not null && root is not Npgsql.NpgsqlException && root is not SqliteException)
        {
            root = root.InnerException;
        }

        return $"{root.GetType().Name}: {root.Message}";
    }
}
