using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Caching;
using VantaBot.Trading.Limits;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Persistence;

public sealed class HotRowCacheTests : IDisposable
{
    private static readonly UserId Ada = new(1001);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly HotRowCache _cache;

    public HotRowCacheTests() => _cache = Cache(TimeSpan.FromSeconds(5));

    public void Dispose() => _cache.Dispose();

    [Theory]
    [InlineData(Role.Viewer)]
    [InlineData(Role.Trader)]
    public void A_viewer_or_trader_is_served_from_memory_until_the_ttl_runs_out(Role role)
    {
        _cache.PutUser(User(role));

        _cache.TryGetUser(Ada, out var cached).ShouldBeTrue();
        cached.Role.ShouldBe(role);
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        _cache.TryGetUser(Ada, out _).ShouldBeTrue();
        _clock.Advance(TimeSpan.FromSeconds(0.2));
        _cache.TryGetUser(Ada, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(Role.Operator)]
    [InlineData(Role.Admin)]
    [InlineData(Role.SuperAdmin)]
    public void A_privileged_user_is_never_cached_so_a_revocation_applies_on_the_next_update(Role role)
    {
        _cache.PutUser(User(role));

        _cache.TryGetUser(Ada, out _).ShouldBeFalse();
    }

    [Fact]
    public void Evicting_a_user_makes_the_next_update_read_the_database()
    {
        _cache.PutUser(User(Role.Trader));

        _cache.EvictUser(Ada);

        _cache.TryGetUser(Ada, out _).ShouldBeFalse();
    }

    [Fact]
    public void Overrides_are_cached_for_the_ttl_and_evicted_on_change()
    {
        IReadOnlyList<RateLimitOverride> none = [];
        _cache.PutOverrides(Ada, none);
        _cache.TryGetOverrides(Ada, out var cached).ShouldBeTrue();
        cached.ShouldBeEmpty();

        _cache.EvictOverrides(Ada);
        _cache.TryGetOverrides(Ada, out _).ShouldBeFalse();

        _cache.PutOverrides(Ada, none);
        _clock.Advance(TimeSpan.FromSeconds(6));
        _cache.TryGetOverrides(Ada, out _).ShouldBeFalse();
    }

    [Fact]
    public void A_zero_ttl_caches_no_role_and_no_override()
    {
        using var off = Cache(TimeSpan.Zero);

        off.PutUser(User(Role.Trader));
        off.PutOverrides(Ada, []);

        off.TryGetUser(Ada, out _).ShouldBeFalse();
        off.TryGetOverrides(Ada, out _).ShouldBeFalse();
    }

    [Fact]
    public void A_day_start_is_kept_past_the_ttl_and_until_the_day_after_its_day()
    {
        using var off = Cache(TimeSpan.Zero);
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);

        // Immutable once stored, so even with the role/override cache off it is served from memory.
        off.PutDayStart(Ada, today, 1234.5m);
        _clock.Advance(TimeSpan.FromHours(30));
        off.TryGetDayStart(Ada, today, out var equity).ShouldBeTrue();
        equity.ShouldBe(1234.5m);
        off.TryGetDayStart(Ada, today.AddDays(1), out _).ShouldBeFalse();

        _clock.Advance(TimeSpan.FromHours(7));
        off.TryGetDayStart(Ada, today, out _).ShouldBeFalse();
    }

    [Fact]
    public void A_day_start_of_a_long_gone_day_is_not_stored()
    {
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);

        _cache.PutDayStart(Ada, today.AddDays(-3), 10m);

        _cache.TryGetDayStart(Ada, today.AddDays(-3), out _).ShouldBeFalse();
    }

    private HotRowCache Cache(TimeSpan ttl) => new(Options.Create(new DatabaseOptions { ReadCacheTtl = ttl }), _clock);

    private BotUser User(Role role) => new(Ada, "Ada", role, _clock.GetUtcNow());
}
