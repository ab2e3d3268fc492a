using VantaBot.Trading.Limits;

namespace VantaBot.UnitTests.Limits;

/// <summary>The GCRA semantics both stores share, on the in-process store with a hand-moved clock.</summary>
public sealed class InProcessRateLimitStoreTests
{
    private readonly ManualClock _clock = new();
    private readonly InProcessRateLimitStore _store;

    public InProcessRateLimitStoreTests() => _store = new InProcessRateLimitStore(_clock);

    [Fact]
    public async Task A_fresh_key_admits_exactly_the_limit_then_one_more_per_emission_interval()
    {
        var charge = new RateLimitCharge("u:opens", 5, TimeSpan.FromMinutes(1), 1);
        for (var i = 0; i < 5; i++)
        {
            (await _store.AcquireAsync([charge], default)).Allowed.ShouldBeTrue($"check {i + 1}");
        }

        var refused = await _store.AcquireAsync([charge], default);
        refused.Allowed.ShouldBeFalse();
        refused.RefusedIndex.ShouldBe(0);
        refused.RetryAfter.ShouldBe(TimeSpan.FromSeconds(12));

        _clock.Advance(TimeSpan.FromSeconds(12) - TimeSpan.FromTicks(10));
        (await _store.AcquireAsync([charge], default)).Allowed.ShouldBeFalse("one microsecond early");
        _clock.Advance(TimeSpan.FromTicks(10));
        (await _store.AcquireAsync([charge], default)).Allowed.ShouldBeTrue();
        (await _store.AcquireAsync([charge], default)).Allowed.ShouldBeFalse();
    }

    [Fact]
    public async Task A_whole_idle_period_restores_the_whole_budget_and_no_more()
    {
        var charge = new RateLimitCharge("u:msgs", 3, TimeSpan.FromMinutes(1), 1);
        for (var i = 0; i < 3; i++)
        {
            await _store.AcquireAsync([charge], default);
        }

        _clock.Advance(TimeSpan.FromHours(5));
        var allowed = 0;
        for (var i = 0; i < 10; i++)
        {
            allowed += (await _store.AcquireAsync([charge], default)).Allowed ? 1 : 0;
        }

        allowed.ShouldBe(3);
    }

    [Fact]
    public async Task Weighted_costs_draw_down_the_budget_and_a_refusal_says_when_the_cost_fits()
    {
        // 10,000 USD per hour in cents.
        var hour = TimeSpan.FromHours(1);
        (await _store.AcquireAsync([new RateLimitCharge("u:volume", 1_000_000, hour, 800_000)], default)).Allowed.ShouldBeTrue();
        var refused = await _store.AcquireAsync([new RateLimitCharge("u:volume", 1_000_000, hour, 300_000)], default);
        refused.Allowed.ShouldBeFalse();

        // 100,000 cents over: a tenth of the hour.
        refused.RetryAfter.ShouldBe(TimeSpan.FromMinutes(6));
        (await _store.AcquireAsync([new RateLimitCharge("u:volume", 1_000_000, hour, 200_000)], default)).Allowed.ShouldBeTrue();
    }

    [Fact]
    public async Task Charges_of_one_check_are_all_taken_or_none()
    {
        var opens = new RateLimitCharge("u:opens", 5, TimeSpan.FromMinutes(1), 1);
        var trades = new RateLimitCharge("u:trades", 1, TimeSpan.FromDays(1), 1);
        (await _store.AcquireAsync([opens, trades], default)).Allowed.ShouldBeTrue();

        var refused = await _store.AcquireAsync([opens, trades], default);
        refused.Allowed.ShouldBeFalse();
        refused.RefusedIndex.ShouldBe(1);

        var usage = await _store.PeekAsync([opens, trades], default);
        usage[0].Used.ShouldBe(1, "the refused check took nothing from the opens budget");
        usage[1].Used.ShouldBe(1);
    }

    [Fact]
    public async Task Peeking_reports_usage_and_takes_nothing()
    {
        var charge = new RateLimitCharge("u:copy", 10, TimeSpan.FromMinutes(1), 1);
        (await _store.PeekAsync([charge], default))[0].Used.ShouldBe(0);
        await _store.AcquireAsync([charge], default);
        await _store.AcquireAsync([charge], default);

        var usage = (await _store.PeekAsync([charge], default))[0];
        usage.Used.ShouldBe(2);
        usage.FullyFreeIn.ShouldBe(TimeSpan.FromSeconds(12));
        (await _store.PeekAsync([charge], default))[0].Used.ShouldBe(2);

        _clock.Advance(TimeSpan.FromSeconds(7));
        (await _store.PeekAsync([charge], default))[0].Used.ShouldBe(1, "a part-used unit is not free yet");
    }

    [Fact]
    public async Task Idle_keys_are_swept_so_memory_follows_active_users()
    {
        for (var i = 0; i < 100; i++)
        {
            await _store.AcquireAsync([new RateLimitCharge($"user{i}", 5, TimeSpan.FromMinutes(1), 1)], default);
        }

        _store.TrackedKeys.ShouldBe(100);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await _store.AcquireAsync([new RateLimitCharge("fresh", 5, TimeSpan.FromMinutes(1), 1)], default);
        _store.TrackedKeys.ShouldBe(1);
    }

    [Theory]
    [InlineData(7, 86_400)]
    [InlineData(3, 60)]
    [InlineData(50, 86_400)]
    public async Task Limits_that_do_not_divide_the_period_still_admit_exactly_the_limit(int limit, int periodSeconds)
    {
        var charge = new RateLimitCharge("odd", limit, TimeSpan.FromSeconds(periodSeconds), 1);
        var allowed = 0;
        for (var i = 0; i < limit * 2; i++)
        {
            allowed += (await _store.AcquireAsync([charge], default)).Allowed ? 1 : 0;
        }

        allowed.ShouldBe(limit);
    }

    [Fact]
    public async Task Changing_a_limit_keeps_the_units_already_used()
    {
        var minute = TimeSpan.FromMinutes(1);
        (await _store.AcquireAsync([new RateLimitCharge("u:opens", 1, minute, 1)], default)).Allowed.ShouldBeTrue();

        // Lifted to 5: one of five is used, four remain at once.
        var lifted = new RateLimitCharge("u:opens", 5, minute, 1);
        (await _store.PeekAsync([lifted], default))[0].Used.ShouldBe(1);
        for (var i = 0; i < 4; i++)
        {
            (await _store.AcquireAsync([lifted], default)).Allowed.ShouldBeTrue($"lifted open {i + 1}");
        }

        (await _store.AcquireAsync([lifted], default)).Allowed.ShouldBeFalse();

        // Tightened to 2 with five used: the budget is full, not overdrawn; the next open frees at the new rate (30 s).
        var tightened = new RateLimitCharge("u:opens", 2, minute, 1);
        (await _store.PeekAsync([tightened], default))[0].Used.ShouldBe(2);
        var refused = await _store.AcquireAsync([tightened], default);
        refused.Allowed.ShouldBeFalse();
        refused.RetryAfter.ShouldBe(TimeSpan.FromSeconds(30));
    }
}
