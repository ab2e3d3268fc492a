using Microsoft.Extensions.Logging.Abstractions;
using VantaBot.Infrastructure.Redis;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Limits;

namespace VantaBot.IntegrationTests.Limits;

/// <summary>The limiter's stores under concurrency: the Redis one against the real Redis peer, and the in-process one.</summary>
public sealed class RedisRateLimitStoreTests : IAsyncLifetime
{
    private readonly string _prefix = $"test:{Guid.NewGuid():N}";
    private readonly List<RedisConnection> _connections = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("in-process")]
    public async Task Fifty_concurrent_checks_admit_exactly_the_limit(string kind)
    {
        IRateLimitStore store = kind == "redis" ? RedisStore() : new InProcessRateLimitStore(TimeProvider.System);
        var opens = new RateLimitCharge($"{_prefix}:opens", 5, TimeSpan.FromMinutes(1), 1);

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => store.AcquireAsync([opens], default))));

        verdicts.Count(v => v.Allowed).ShouldBe(5);
        verdicts.Where(v => !v.Allowed).ShouldAllBe(v => v.RetryAfter > TimeSpan.FromSeconds(11) && v.RetryAfter <= TimeSpan.FromSeconds(12));
        (await store.PeekAsync([opens], default))[0].Used.ShouldBe(5);
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("in-process")]
    public async Task Fifty_concurrent_orders_fill_the_volume_budget_exactly_and_all_or_nothing(string kind)
    {
        IRateLimitStore store = kind == "redis" ? RedisStore() : new InProcessRateLimitStore(TimeProvider.System);

        // 10,000 USD per hour in cents; each order 300 USD and one trade out of 40 per day.
        var volume = new RateLimitCharge($"{_prefix}:volume", 1_000_000, TimeSpan.FromHours(1), 30_000);
        var trades = new RateLimitCharge($"{_prefix}:trades", 40, TimeSpan.FromDays(1), 1);

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => store.AcquireAsync([trades, volume], default))));

        verdicts.Count(v => v.Allowed).ShouldBe(33);
        verdicts.Where(v => !v.Allowed).ShouldAllBe(v => v.RefusedIndex == 1);
        var usage = await store.PeekAsync([trades, volume], default);
        usage[0].Used.ShouldBe(33, "refused orders took no trade from the daily budget");
        // Volume refills a cent every 3.6 ms, so the time the check took shows in the last digits.
        usage[1].Used.ShouldBeInRange(985_000, 990_000);
    }

    [Fact]
    public async Task Two_instances_with_their_own_connections_share_one_users_budget()
    {
        var first = RedisStore();
        var second = RedisStore();
        var messages = new RateLimitCharge($"{_prefix}:messages", 30, TimeSpan.FromMinutes(1), 1);

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).AcquireAsync([messages], default))));

        verdicts.Count(v => v.Allowed).ShouldBe(30);
    }

    [Fact]
    public async Task The_redis_store_follows_the_same_steps_as_the_in_process_one()
    {
        var redis = RedisStore();
        var memory = new InProcessRateLimitStore(TimeProvider.System);
        // (limit, cost): an admin lifts the limit to 20, then tightens it to 4, mid-sequence.
        var sequence = new (long Limit, long Cost)[] { (10, 3), (10, 4), (10, 2), (10, 1), (10, 1), (20, 5), (20, 6), (20, 1), (4, 1), (4, 1) };
        foreach (var ((limit, cost), i) in sequence.Select((c, i) => (c, i)))
        {
            var charge = new RateLimitCharge($"{_prefix}:same", limit, TimeSpan.FromDays(1), cost);
            var fromRedis = await redis.AcquireAsync([charge], default);
            var fromMemory = await memory.AcquireAsync([charge], default);
            fromRedis.Allowed.ShouldBe(fromMemory.Allowed, $"step {i} (limit {limit}, cost {cost})");
            if (!fromRedis.Allowed)
            {
                // Both count from their own clocks; the few milliseconds between the calls are all that may differ.
                (fromRedis.RetryAfter - fromMemory.RetryAfter).Duration().ShouldBeLessThan(TimeSpan.FromSeconds(1));
            }

            var usage = (await redis.PeekAsync([charge], default))[0].Used;
            usage.ShouldBe((await memory.PeekAsync([charge], default))[0].Used, $"usage after step {i}");
        }
    }

    [Fact]
    public async Task An_unreachable_redis_is_reported_as_unavailable_not_as_allowed()
    {
        var connection = new RedisConnection($"127.0.0.1:{BotProcess.FreePort()},connectTimeout=500", NullLogger<RedisConnection>.Instance);
        _connections.Add(connection);
        var store = new RedisRateLimitStore(connection);
        await Should.ThrowAsync<RateLimitStoreUnavailableException>(
            () => store.AcquireAsync([new RateLimitCharge($"{_prefix}:x", 5, TimeSpan.FromMinutes(1), 1)], default));
    }

    private RedisRateLimitStore RedisStore()
    {
        var connection = new RedisConnection(RedisServer.SharedConnection, NullLogger<RedisConnection>.Instance);
        _connections.Add(connection);
        return new RedisRateLimitStore(connection);
    }
}
