using VantaBot.Infrastructure.Redis;
using VantaBot.Trading.Limits;

namespace VantaBot.Bot.Limits;

/// <summary>Where the limiter keeps its state and whether it answers, for /rate_limits.</summary>
public sealed class LimiterHealth(IRateLimitStore store, RedisConnection? redis = null)
{
    public async Task<string> DescribeAsync(CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            return $"{store.Kind} (this instance only; set Redis__Connection to share limits across instances)";
        }

        try
        {
            var database = await redis.TryGetDatabaseAsync(cancellationToken);
            if (database is null)
            {
                return "redis — UNREACHABLE: trading is refused, read-only commands work; reconnecting in the background";
            }

            var latency = await database.PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return $"redis — reachable (ping {latency.TotalMilliseconds:0.0} ms)";
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            return $"redis — UNREACHABLE ({ex.GetType().Name}): trading is refused, read-only commands work";
        }
    }
}
