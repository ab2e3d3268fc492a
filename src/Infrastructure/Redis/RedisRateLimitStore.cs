using StackExchange.Redis;
using VantaBot.Trading.Limits;

namespace VantaBot.Infrastructure.Redis;

/// <summary>
/// The limiter store for a fleet: every check is one EVAL(SHA) of <see cref="Script"/> — one round trip, atomic
/// across all the charges of the check, with time taken from the Redis server so instances with drifting clocks
/// still share one timeline. The script transcribes <see cref="Gcra.Step"/> line by line.
/// </summary>
public sealed class RedisRateLimitStore(RedisConnection redis) : IRateLimitStore
{
    /// <summary>
    /// KEYS: one per charge, each holding "TAT:emission" in µs. ARGV[1]: "acquire" or "peek"; then per charge:
    /// emission µs, capacity µs, cost.
    /// Returns {1} + occupied µs per key when taken (or peeked), {0, index (1-based), retry µs} when refused.
    /// Numbers stay exact: TATs are ~1.8e15 µs and every quantity is an integer below 2^53.
    /// </summary>
    public const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local acquire = ARGV[1] == 'acquire'
        local tats = {}
        local result = {1}
        for i = 1, #KEYS do
          local emission = tonumber(ARGV[i * 3 - 1])
          local capacity = tonumber(ARGV[i * 3])
          local cost = acquire and tonumber(ARGV[i * 3 + 1]) or 0
          local tat = now
          local stored = redis.call('GET', KEYS[i])
          if stored then
            local sep = string.find(stored, ':', 1, true)
            tat = tonumber(string.sub(stored, 1, sep - 1))
            local stored_emission = tonumber(string.sub(stored, sep + 1))
            if stored_emission ~= emission and tat > now then
              tat = now + math.min(math.ceil((tat - now) / stored_emission * emission), capacity)
            end
          end
          if tat < now then tat = now end
          local new_tat = tat + cost * emission
          local occupied = new_tat - now
          if acquire and occupied > capacity then
            return {0, i, occupied - capacity}
          end
          tats[i] = new_tat
          result[i + 1] = occupied
        end
        if acquire then
          for i = 1, #KEYS do
            if tonumber(ARGV[i * 3 + 1]) > 0 then
              local emission = tonumber(ARGV[i * 3 - 1])
              redis.call('SET', KEYS[i], string.format('%.0f:%.0f', tats[i], emission), 'PX', math.floor((tats[i] - now) / 1000) + 1000)
            end
          end
        end
        return result
        """;

    public string Kind => "redis";

    public async Task<RateLimitVerdict> AcquireAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        if (charges.Count == 0)
        {
            return RateLimitVerdict.Granted;
        }

        var result = await EvaluateAsync("acquire", charges, cancellationToken);
        return (long)result[0] == 1
            ? RateLimitVerdict.Granted
            : new RateLimitVerdict(false, (int)(long)result[1] - 1, InProcessRateLimitStore.FromMicros((long)result[2]));
    }

    public async Task<IReadOnlyList<RateLimitUsage>> PeekAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        if (charges.Count == 0)
        {
            return [];
        }

        var result = await EvaluateAsync("peek", charges, cancellationToken);
        return charges.Select((c, i) => InProcessRateLimitStore.ToUsage((long)result[i + 1], c.EmissionMicros)).ToList();
    }

    private async Task<RedisResult[]> EvaluateAsync(string mode, IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken)
    {
        IDatabase? database;
        try
        {
            database = await redis.TryGetDatabaseAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new RateLimitStoreUnavailableException($"redis unreachable ({ex.GetType().Name})", ex);
        }

        if (database is null)
        {
            throw new RateLimitStoreUnavailableException("redis unreachable (not connected)");
        }

        var keys = new RedisKey[charges.Count];
        var values = new RedisValue[1 + (charges.Count * 3)];
        values[0] = mode;
        for (var i = 0; i < charges.Count; i++)
        {
            keys[i] = charges[i].Key;
            values[1 + (i * 3)] = charges[i].EmissionMicros;
            values[2 + (i * 3)] = charges[i].CapacityMicros;
            values[3 + (i * 3)] = charges[i].Cost;
        }

        try
        {
            // ScriptEvaluateAsync sends EVALSHA once the script is known and falls back to EVAL on NOSCRIPT (a restarted Redis).
            var result = await database.ScriptEvaluateAsync(Script, keys, values);
            return (RedisResult[])result!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new RateLimitStoreUnavailableException($"redis unreachable ({ex.GetType().Name})", ex);
        }
    }
}
