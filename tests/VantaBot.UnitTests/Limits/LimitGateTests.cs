using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;
using VantaBot.Bot.Limits;
using VantaBot.Bot.Outbound;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Limits;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Limits;

public sealed class LimitGateTests : IDisposable
{
    private static readonly BotUser Trader = new(new UserId(42), "Trader", Role.Trader, DateTimeOffset.UnixEpoch);

    private readonly ServiceProvider _metricsProvider = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ManualClock _clock = new();
    private readonly LimitsOptions _options = new() { MessagesPerMinute = 2 };

    [Fact]
    public async Task The_message_gate_refuses_past_the_limit_naming_it()
    {
        var gate = new MessageRateGate(Limiter(new InProcessRateLimitStore(_clock)), Metrics(), NullLogger<MessageRateGate>.Instance);
        (await gate.CheckAsync(Read(), default)).Allowed.ShouldBeTrue();
        (await gate.CheckAsync(Read(), default)).Allowed.ShouldBeTrue();
        var refused = await gate.CheckAsync(Read(), default);
        refused.Allowed.ShouldBeFalse();
        refused.Gate.ShouldBe("RateLimit:Messages");
        refused.Reason.ShouldBe("Rate limit reached: messages 2 per minute. Frees up in 30 s (at 12:00:30 UTC).");
    }

    [Fact]
    public async Task Without_its_store_the_message_gate_lets_reads_through_and_refuses_trading()
    {
        var gate = new MessageRateGate(Limiter(new RateLimiterTests.UnavailableStore()), Metrics(), NullLogger<MessageRateGate>.Instance);
        (await gate.CheckAsync(Read(), default)).Allowed.ShouldBeTrue();
        var trading = await gate.CheckAsync(new UpdateGateContext(Trader, "long", IsTradingAction: true, IsCallback: false), default);
        trading.Allowed.ShouldBeFalse();
        trading.Gate.ShouldBe("RateLimit:Unavailable");
        trading.Reason!.ShouldContain("no trade goes through unchecked");
        (await gate.CheckAsync(new UpdateGateContext(Trader, "callback_confirm", IsTradingAction: true, IsCallback: true), default)).Allowed.ShouldBeFalse();
    }

    [Fact]
    public async Task The_trade_gate_runs_before_commit_and_fails_closed_without_its_store()
    {
        var gate = new TradeRateGate(Limiter(new RateLimiterTests.UnavailableStore()), Metrics(), NullLogger<TradeRateGate>.Instance);
        gate.Stage.ShouldBe(TradeGateStage.BeforeCommit);
        var decision = await gate.CheckAsync(new TradeAttempt(Trader.Id, TradeAction.OpenPerp, Eth(), 100m, false, "k"), default);
        decision.Allowed.ShouldBeFalse();
        decision.Gate.ShouldBe("RateLimit:Unavailable");
    }

    [Fact]
    public async Task The_trade_gate_names_the_limit_that_refused()
    {
        _options.PositionOpensPerMinute = 1;
        var gate = new TradeRateGate(Limiter(new InProcessRateLimitStore(_clock)), Metrics(), NullLogger<TradeRateGate>.Instance);
        (await gate.CheckAsync(new TradeAttempt(Trader.Id, TradeAction.OpenPerp, Eth(), 100m, false, "a"), default)).Allowed.ShouldBeTrue();
        var refused = await gate.CheckAsync(new TradeAttempt(Trader.Id, TradeAction.OpenPerp, Eth(), 100m, false, "b"), default);
        refused.Gate.ShouldBe("RateLimit:PositionOpens");
        refused.Reason.ShouldBe("Rate limit reached: position opens 1 per minute. Frees up in 1 min (at 12:01:00 UTC).");
    }

    public void Dispose() => _metricsProvider.Dispose();

    private static UpdateGateContext Read() => new(Trader, "price", IsTradingAction: false, IsCallback: false);

    private static Pair Eth() => Pair.TryParse("ETH", out var pair) ? pair : throw new InvalidOperationException();

    private RateLimiter Limiter(IRateLimitStore store) => new(store, new RateLimiterTests.FakeOverrides(), Options.Create(_options), _clock);

    private OutboundMetrics Metrics() => new(_metricsProvider.GetRequiredService<IMeterFactory>());
}

public sealed class LimitsOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        new LimitsOptionsValidator().Validate(null, new LimitsOptions()).Succeeded.ShouldBeTrue();
        new OutboundOptionsValidator().Validate(null, new OutboundOptions()).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Each_bad_limit_setting_is_named()
    {
        var result = new LimitsOptionsValidator().Validate(null, new LimitsOptions
        {
            PositionOpensPerMinute = 0,
            TradesPerDay = -1,
            VolumeUsdPerHour = 2_000_000_000,
            MessagesPerMinute = 0,
            CopyExecutionsPerMinute = 0,
            StoreTimeout = TimeSpan.Zero,
            KeyPrefix = "a {b}",
        });
        result.Failed.ShouldBeTrue();
        result.Failures.ShouldNotBeNull();
        foreach (var setting in new[] { "PositionOpensPerMinute", "TradesPerDay", "VolumeUsdPerHour", "MessagesPerMinute", "CopyExecutionsPerMinute", "StoreTimeout", "KeyPrefix" })
        {
            result.Failures.ShouldContain(f => f.StartsWith("Limits__" + setting + ":", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Each_bad_outbound_setting_is_named()
    {
        var result = new OutboundOptionsValidator().Validate(null, new OutboundOptions
        {
            GlobalPerSecond = 0,
            MaxConcurrentSends = 0,
            PerChatInterval = TimeSpan.FromSeconds(-1),
            BaseBackoff = TimeSpan.FromSeconds(10),
            MaxBackoff = TimeSpan.FromSeconds(1),
        });
        result.Failures.ShouldNotBeNull();
        result.Failures.ShouldContain(f => f.StartsWith("Outbound__GlobalPerSecond:", StringComparison.Ordinal));
        result.Failures.ShouldContain(f => f.StartsWith("Outbound__MaxConcurrentSends:", StringComparison.Ordinal));
        result.Failures.ShouldContain(f => f.StartsWith("Outbound__PerChatInterval:", StringComparison.Ordinal));
        result.Failures.ShouldContain(f => f.StartsWith("Outbound__MaxBackoff:", StringComparison.Ordinal));
    }

    [Fact]
    public void Group_chats_are_spaced_by_the_slower_of_the_chat_interval_and_the_group_rate()
    {
        new OutboundOptions().GroupInterval.ShouldBe(TimeSpan.FromSeconds(3));
        new OutboundOptions { PerChatInterval = TimeSpan.FromSeconds(5) }.GroupInterval.ShouldBe(TimeSpan.FromSeconds(5));
    }
}
