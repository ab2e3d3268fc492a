using VantaBot.Trading.Gates;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;
using VantaBot.UnitTests.Perps;

namespace VantaBot.UnitTests.Prices;

public sealed class CloseOnlyGateTests
{
    private static readonly Pair Eth = Pair.Usd("ETH");

    private readonly SettablePriceFeed _feed = new(new ManualClock());

    [Fact]
    public async Task Fresh_price_lets_everything_through()
    {
        _feed.Set(Eth, 3400m);
        var gate = new CloseOnlyGate(_feed);

        gate.Stage.ShouldBe(TradeGateStage.BeforeRisk);
        foreach (var action in Enum.GetValues<TradeAction>())
        {
            (await gate.CheckAsync(Attempt(action), default)).Allowed.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task A_stale_pair_refuses_opens_with_the_reason()
    {
        _feed.Set(Eth, 3400m, stale: true);

        var decision = await new CloseOnlyGate(_feed).CheckAsync(Attempt(TradeAction.OpenPerp), default);

        decision.Allowed.ShouldBeFalse();
        decision.Gate.ShouldBe(CloseOnlyGate.GateName);
        decision.Reason!.ShouldStartWith("ETH/USD is close-only: its price is stale (last agreed price 3,400 USD, 5 min old)");
        decision.Reason.ShouldContain("closing stays open");
    }

    [Fact]
    public async Task Swaps_are_priced_by_their_own_quote_not_the_feed()
    {
        _feed.Set(Eth, 3400m, stale: true);
        (await new CloseOnlyGate(_feed).CheckAsync(Attempt(TradeAction.Swap), default)).Allowed.ShouldBeTrue();
    }

    [Fact]
    public async Task A_pair_never_priced_refuses_opens()
    {
        var decision = await new CloseOnlyGate(_feed).CheckAsync(Attempt(TradeAction.OpenPerp), default);
        decision.Allowed.ShouldBeFalse();
        decision.Reason!.ShouldContain("no source has priced it yet");
    }

    [Fact]
    public async Task Closes_pass_even_without_any_price()
    {
        (await new CloseOnlyGate(_feed).CheckAsync(Attempt(TradeAction.ClosePerp), default)).Allowed.ShouldBeTrue();
        _feed.Set(Eth, 3400m, stale: true);
        (await new CloseOnlyGate(_feed).CheckAsync(Attempt(TradeAction.ClosePerp), default)).Allowed.ShouldBeTrue();
    }

    private static TradeAttempt Attempt(TradeAction action) => new(new UserId(7), action, Eth, 1000m, IsCopy: false, "update:1");
}
