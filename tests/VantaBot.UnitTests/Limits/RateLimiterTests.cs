using Microsoft.Extensions.Options;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Limits;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Limits;

public sealed class RateLimiterTests
{
    private static readonly UserId Trader = new(42);
    private static readonly Pair Eth = Pair.TryParse("ETH", out var p) ? p : throw new InvalidOperationException();

    private readonly ManualClock _clock = new();
    private readonly FakeOverrides _overrides = new();
    private readonly LimitsOptions _options = new();

    [Fact]
    public async Task The_sixth_open_within_a_minute_is_refused_naming_the_limit_and_when_it_frees_up()
    {
        var limiter = Limiter();
        for (var i = 0; i < 5; i++)
        {
            (await limiter.CheckTradeAsync(Open(100m), default)).ShouldBeOfType<RateLimitDecision.Allowed>();
        }

        var refused = (await limiter.CheckTradeAsync(Open(100m), default)).ShouldBeOfType<RateLimitDecision.Limited>();
        refused.Limit.ShouldBe(RateLimitName.PositionOpens);
        refused.RetryAfter.ShouldBe(TimeSpan.FromSeconds(12));
        refused.Message.ShouldBe("Rate limit reached: position opens 5 per minute. Frees up in 12 s (at 12:00:12 UTC).");
    }

    [Fact]
    public async Task A_refused_open_counts_against_no_limit()
    {
        _options.VolumeUsdPerHour = 1_000;
        var limiter = Limiter();
        (await limiter.CheckTradeAsync(Open(900m), default)).ShouldBeOfType<RateLimitDecision.Allowed>();
        (await limiter.CheckTradeAsync(Open(200m), default)).ShouldBeOfType<RateLimitDecision.Limited>().Limit.ShouldBe(RateLimitName.VolumeUsd);

        var status = await limiter.GetStatusAsync(Trader, default);
        status.Single(s => s.Limit == RateLimitName.PositionOpens).Used.ShouldBe(1);
        status.Single(s => s.Limit == RateLimitName.Trades).Used.ShouldBe(1);
        status.Single(s => s.Limit == RateLimitName.VolumeUsd).Used.ShouldBe(900);
    }

    [Fact]
    public async Task Volume_is_counted_in_cents_and_an_order_above_the_whole_limit_is_refused_for_good()
    {
        var limiter = Limiter();
        var alone = (await limiter.CheckTradeAsync(Open(10_000.01m), default)).ShouldBeOfType<RateLimitDecision.Limited>();
        alone.Limit.ShouldBe(RateLimitName.VolumeUsd);
        alone.RetryAfter.ShouldBeNull();
        alone.Message.ShouldBe("This order alone (10,000.01 USD) is above your traded volume limit of 10,000 USD per hour.");

        (await limiter.CheckTradeAsync(Open(10_000m), default)).ShouldBeOfType<RateLimitDecision.Allowed>();
        var later = (await limiter.CheckTradeAsync(Open(2_500m), default)).ShouldBeOfType<RateLimitDecision.Limited>();
        later.RetryAfter.ShouldBe(TimeSpan.FromMinutes(15));
        later.Message.ShouldContain("traded volume 10,000 USD per hour. Frees up in 15 min (at 12:15:00 UTC)");
    }

    [Fact]
    public async Task Copied_opens_count_as_copy_executions_not_manual_opens_and_both_count_as_trades()
    {
        _options.TradesPerDay = 12;
        var limiter = Limiter();
        for (var i = 0; i < 10; i++)
        {
            (await limiter.CheckTradeAsync(Open(10m, isCopy: true), default)).ShouldBeOfType<RateLimitDecision.Allowed>();
        }

        (await limiter.CheckTradeAsync(Open(10m, isCopy: true), default)).ShouldBeOfType<RateLimitDecision.Limited>().Limit.ShouldBe(RateLimitName.CopyExecutions);
        (await limiter.CheckTradeAsync(Open(10m), default)).ShouldBeOfType<RateLimitDecision.Allowed>();
        (await limiter.CheckTradeAsync(Open(10m), default)).ShouldBeOfType<RateLimitDecision.Allowed>();
        var daily = (await limiter.CheckTradeAsync(Open(10m), default)).ShouldBeOfType<RateLimitDecision.Limited>();
        daily.Limit.ShouldBe(RateLimitName.Trades);
        daily.Message.ShouldContain("trades 12 per day. Frees up in 2 h (at 14:00:00 UTC)");
    }

    [Fact]
    public async Task Closing_a_position_is_never_limited_and_never_touches_the_store()
    {
        var limiter = new RateLimiter(new UnavailableStore(), _overrides, Options.Create(_options), _clock);
        var close = new TradeAttempt(Trader, TradeAction.ClosePerp, Eth, 1_000_000m, false, "k");
        (await limiter.CheckTradeAsync(close, default)).ShouldBeOfType<RateLimitDecision.Allowed>();
    }

    [Fact]
    public async Task An_override_lifts_or_tightens_one_users_limit_and_zero_blocks_it()
    {
        var limiter = Limiter();
        _overrides.Set(Trader, RateLimitName.Messages, 2);
        (await limiter.CheckMessageAsync(Trader, default)).ShouldBeOfType<RateLimitDecision.Allowed>();
        (await limiter.CheckMessageAsync(Trader, default)).ShouldBeOfType<RateLimitDecision.Allowed>();
        (await limiter.CheckMessageAsync(Trader, default)).ShouldBeOfType<RateLimitDecision.Limited>().Message.ShouldContain("messages 2 per minute");
        (await limiter.CheckMessageAsync(new UserId(7), default)).ShouldBeOfType<RateLimitDecision.Allowed>("other users keep the default");

        _overrides.Set(Trader, RateLimitName.PositionOpens, 0);
        (await limiter.CheckTradeAsync(Open(10m), default)).ShouldBeOfType<RateLimitDecision.Limited>().Message.ShouldContain("set to 0 by an admin");

        _overrides.Set(Trader, RateLimitName.PositionOpens, 100);
        for (var i = 0; i < 50; i++)
        {
            (await limiter.CheckTradeAsync(Open(10m), default)).ShouldBeOfType<RateLimitDecision.Allowed>();
        }
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_or_does_not_answer_in_time_is_reported_as_unavailable()
    {
        var down = new RateLimiter(new UnavailableStore(), _overrides, Options.Create(_options), _clock);
        (await down.CheckTradeAsync(Open(10m), default)).ShouldBeOfType<RateLimitDecision.StoreUnavailable>();
        (await down.CheckMessageAsync(Trader, default)).ShouldBeOfType<RateLimitDecision.StoreUnavailable>();
        await Should.ThrowAsync<RateLimitStoreUnavailableException>(() => down.GetStatusAsync(Trader, default));

        _options.StoreTimeout = TimeSpan.FromMilliseconds(50);
        var hanging = new RateLimiter(new HangingStore(), _overrides, Options.Create(_options), _clock);
        (await hanging.CheckTradeAsync(Open(10m), default)).ShouldBeOfType<RateLimitDecision.StoreUnavailable>().Reason.ShouldContain("did not answer within 50 ms");
    }

    [Fact]
    public async Task Unreadable_overrides_count_as_an_unavailable_limiter()
    {
        _overrides.Broken = true;
        (await Limiter().CheckTradeAsync(Open(10m), default)).ShouldBeOfType<RateLimitDecision.StoreUnavailable>();
    }

    private RateLimiter Limiter() => new(new InProcessRateLimitStore(_clock), _overrides, Options.Create(_options), _clock);

    private static TradeAttempt Open(decimal notional, bool isCopy = false) =>
        new(Trader, TradeAction.OpenPerp, Eth, notional, isCopy, Guid.NewGuid().ToString());

    internal sealed class FakeOverrides : IRateLimitOverrides
    {
        private readonly Dictionary<(UserId, RateLimitName), long> _values = [];

        public bool Broken { get; set; }

        public void Set(UserId user, RateLimitName limit, long value) => _values[(user, limit)] = value;

        public Task<IReadOnlyList<RateLimitOverride>> GetAsync(UserId user, CancellationToken cancellationToken) =>
            Broken
                ? throw new InvalidOperationException("database down")
                : Task.FromResult<IReadOnlyList<RateLimitOverride>>(
                    [.. _values.Where(kv => kv.Key.Item1 == user).Select(kv => new RateLimitOverride(user, kv.Key.Item2, kv.Value, new UserId(1), DateTimeOffset.UnixEpoch))]);

        public Task SetAsync(UserId user, RateLimitName limit, long? value, UserId setBy, CancellationToken cancellationToken)
        {
            if (value is null)
            {
                _values.Remove((user, limit));
            }
            else
            {
                _values[(user, limit)] = value.Value;
            }

            return Task.CompletedTask;
        }

        public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(_values.Count);
    }

    internal sealed class UnavailableStore : IRateLimitStore
    {
        public string Kind => "redis";

        public Task<RateLimitVerdict> AcquireAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken) =>
            throw new RateLimitStoreUnavailableException("redis unreachable (not connected)");

        public Task<IReadOnlyList<RateLimitUsage>> PeekAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken) =>
            throw new RateLimitStoreUnavailableException("redis unreachable (not connected)");
    }

    private sealed class HangingStore : IRateLimitStore
    {
        public string Kind => "redis";

        public async Task<RateLimitVerdict> AcquireAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return RateLimitVerdict.Granted;
        }

        public Task<IReadOnlyList<RateLimitUsage>> PeekAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
