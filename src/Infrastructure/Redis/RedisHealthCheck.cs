using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VantaBot.Infrastructure.Redis;

/// <summary>Ready when Redis answers PING. Registered only when <c>Redis__Connection</c> is set.</summary>
public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var database = await redis.TryGetDatabaseAsync(cancellationToken);
            if (database is null)
            {
                return HealthCheckResult.Unhealthy("redis unreachable: not connected");
            }

            var latency = await database.PingAsync();
            return HealthCheckResult.Healthy($"redis reachable (ping {latency.TotalMilliseconds:0.0} ms)");
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"redis unreachable: {ex.GetType().Name}");
        }
    }
}
