using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using VantaBot.Trading.Control;

namespace VantaBot.Infrastructure.Redis;

/// <summary>
/// Redis pub/sub on one channel: a switch changed, re-read it. The message carries nothing to trust; every
/// receiver reads the switches from the database, so a forged or lost message changes nothing by itself.
/// </summary>
public sealed class RedisControlSignal(RedisConnection redis, ILogger<RedisControlSignal> logger) : IControlSignal
{
    public const string Channel = "vantabot:control";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        try
        {
            var database = await redis.TryGetDatabaseAsync(cancellationToken);
            if (database is null)
            {
                logger.LogWarning("Redis unavailable: other instances pick up the change at their next database re-read");
                return;
            }

            await database.Multiplexer.GetSubscriber().PublishAsync(Channel, "changed");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not publish the control signal; other instances pick up the change at their next database re-read");
        }
    }

    public async Task SubscribeAsync(Action onChanged, CancellationToken cancellationToken)
    {
        // Redis may come up after the bot; keep trying. The multiplexer re-subscribes by itself after a reconnect.
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var database = await redis.TryGetDatabaseAsync(cancellationToken);
                if (database is not null)
                {
                    await database.Multiplexer.GetSubscriber().SubscribeAsync(Channel, (_, _) => onChanged());
                    logger.LogInformation("Subscribed to control signals on Redis channel {Channel}", Channel);
                    return;
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Could not subscribe to control signals yet; retrying");
            }

            await Task.Delay(RetryDelay, cancellationToken);
        }
    }
}
