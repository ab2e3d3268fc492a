using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace VantaBot.Infrastructure.Redis;

/// <summary>
/// One shared multiplexer per process (StackExchange.Redis 1.2.6, the version that restores here). It connects
/// lazily and keeps reconnecting in the background, so a Redis outage at start-up or later never stops the bot;
/// callers that need Redis see its state through <see cref="TryGetDatabaseAsync"/>.
/// </summary>
public sealed class RedisConnection(string configuration, ILogger<RedisConnection> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ConnectionMultiplexer? _multiplexer;

    public async Task<IDatabase?> TryGetDatabaseAsync(CancellationToken cancellationToken)
    {
        var multiplexer = _multiplexer ?? await ConnectAsync(cancellationToken);
        return multiplexer is { IsConnected: true } ? multiplexer.GetDatabase() : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.CloseAsync(allowCommandsToComplete: false);
            multiplexer.Dispose();
        }

        _connectLock.Dispose();
    }

    private async Task<ConnectionMultiplexer?> ConnectAsync(CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            if (_multiplexer is not null)
            {
                return _multiplexer;
            }

            var options = ConfigurationOptions.Parse(configuration);

            // Keep retrying after a failed first connect instead of throwing: Redis may start after the bot.
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = Math.Min(options.ConnectTimeout, 3000);
            _multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
            if (!_multiplexer.IsConnected)
            {
                logger.LogWarning("Redis is not reachable yet; reconnecting in the background");
            }

            return _multiplexer;
        }
        finally
        {
            _connectLock.Release();
        }
    }
}
