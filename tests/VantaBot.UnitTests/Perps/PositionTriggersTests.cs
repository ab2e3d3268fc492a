using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Perps;

public sealed class PositionTriggersTests
{
    [Theory]
    [InlineData(Side.Long, 3000.00, null)]
    [InlineData(Side.Long, 3300.00, CloseReason.TakeProfit)]
    [InlineData(Side.Long, 3299.99, null)]
    [InlineData(Side.Long, 2900.00, CloseReason.StopLoss)]
    [InlineData(Side.Long, 2900.01, null)]
    [InlineData(Side.Long, 2700.00, CloseReason.Liquidation)]
    [InlineData(Side.Long, 2500.00, CloseReason.Liquidation)]
    [InlineData(Side.Short, 3000.00, null)]
    [InlineData(Side.Short, 2700.00, CloseReason.TakeProfit)]
    [InlineData(Side.Short, 3100.00, CloseReason.StopLoss)]
    [InlineData(Side.Short, 3300.00, CloseReason.Liquidation)]
    public void The_mark_sets_off_liquidation_then_stop_then_take_profit(Side side, double mark, CloseReason? expected)
    {
        var position = side == Side.Long
            ? Position(side, liquidation: 2700m, stopLoss: 2900m, takeProfit: 3300m)
            : Position(side, liquidation: 3300m, stopLoss: 3100m, takeProfit: 2700m);

        PositionTriggers.Evaluate(position, (decimal)mark).ShouldBe(expected);
    }

    [Fact]
    public void Without_a_take_profit_only_the_stop_and_liquidation_fire()
    {
        var position = Position(Side.Long, liquidation: 2700m, stopLoss: 2900m, takeProfit: null);

        PositionTriggers.Evaluate(position, 100_000m).ShouldBeNull();
    }

    private static Position Position(Side side, decimal liquidation, decimal stopLoss, decimal? takeProfit) => new(
        PositionId.New(), new UserId(1), Pair.Usd("ETH"), side, 1000m, 10m, 3000m, liquidation, takeProfit, stopLoss, false, 6m,
        DateTimeOffset.UnixEpoch, PositionStatus.Open, 0m, null);
}
