using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// Applies the migrations at start-up, retrying with backoff while the database is unreachable. EF Core's
/// migrator takes a database-wide lock (an advisory lock on PostgreSQL, a lock table on SQLite), so two
/// instances starting together never migrate at once.
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
        var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while one writer commits; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }
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
