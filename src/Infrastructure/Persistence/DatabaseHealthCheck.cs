using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>Ready when the schema is migrated and the database answers a query within the timeout.</summary>
public sealed class DatabaseHealthCheck(VantaBotDbContext db, DatabaseReadiness readiness, IOptions<DatabaseOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsReady)
        {
            return HealthCheckResult.Unhealthy($"database unreachable or not migrated: {readiness.LastError}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.HealthCheckTimeout);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", timeout.Token);
            return HealthCheckResult.Healthy($"{options.Value.Provider} reachable");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"database unreachable: {DatabaseErrors.Describe(ex)}");
        }
    }
}
