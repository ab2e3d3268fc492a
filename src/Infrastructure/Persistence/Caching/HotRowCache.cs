using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using VantaBot.Trading.Limits;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Caching;

/// <summary>
/// This instance's short-lived copy of rows that nearly every update reads and that almost never change, so an
/// update does not pay a database round trip for each: a user's identity and role, and a user's rate-limit
/// overrides (<see cref="DatabaseOptions.ReadCacheTtl"/>), and the equity a user's day started with (immutable once
/// stored, kept until the day is over).
/// <para>
/// Writes through this instance evict their entry at once. A change made through another instance (or straight in
/// the database) is seen here within the TTL. Privileged users (Operator and above) are never cached: a revoked
/// admin loses the rights on the very next update on every instance; only a Trader demoted elsewhere may trade on
/// for up to the TTL. A TTL of zero turns the role and override entries off.
/// </para>
/// </summary>
public sealed class HotRowCache(IOptions<DatabaseOptions> options, TimeProvider time) : IDisposable
{
    // Entries are tiny; the bound only stops an unbounded crowd of users from growing the process without limit.
    private const long MaxEntries = 200_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries, Clock = new SystemClockAdapter(time) });
    private readonly TimeSpan _ttl = options.Value.ReadCacheTtl;

    public bool TryGetUser(UserId id, out BotUser user) => _cache.TryGetValue(new UserKey(id), out user!);

    public void PutUser(BotUser user)
    {
        if (_ttl > TimeSpan.Zero && user.Role <= Role.Trader)
        {
            _cache.Set(new UserKey(user.Id), user, Entry(_ttl));
        }
    }

    public void EvictUser(UserId id) => _cache.Remove(new UserKey(id));

    public bool TryGetOverrides(UserId id, out IReadOnlyList<RateLimitOverride> overrides) =>
        _cache.TryGetValue(new OverridesKey(id), out overrides!);

    public void PutOverrides(UserId id, IReadOnlyList<RateLimitOverride> overrides)
    {
        if (_ttl > TimeSpan.Zero)
        {
            _cache.Set(new OverridesKey(id), overrides, Entry(_ttl));
        }
    }

    public void EvictOverrides(UserId id) => _cache.Remove(new OverridesKey(id));

    public bool TryGetDayStart(UserId id, DateOnly day, out decimal equity) => _cache.TryGetValue(new DayStartKey(id, day), out equity);

    /// <summary>A stored day start never changes (insert-if-absent), so it is kept until a day after its own.</summary>
    public void PutDayStart(UserId id, DateOnly day, decimal equity)
    {
        var dayAfter = new DateTimeOffset(day.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var left = dayAfter - time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            _cache.Set(new DayStartKey(id, day), equity, Entry(left));
        }
    }

    public void Dispose() => _cache.Dispose();

    private static MemoryCacheEntryOptions Entry(TimeSpan lifetime) => new() { AbsoluteExpirationRelativeToNow = lifetime, Size = 1 };

    private readonly record struct UserKey(UserId Id);

    private readonly record struct OverridesKey(UserId Id);

    private readonly record struct DayStartKey(UserId Id, DateOnly Day);

    /// <summary>Expiry follows the host's <see cref="TimeProvider"/>, so tests with a fake clock see it too.</summary>
    private sealed class SystemClockAdapter(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
