using VantaBot.Trading.Markets;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Perps;

public enum PositionStatus
{
    Open,
    Closed,
    Liquidated,
}

/// <summary>A perpetual position as the ledger settled it. Collateral is what backs it after the open fee.</summary>
public sealed record Position(
    PositionId Id,
    UserId User,
    Pair Pair,
    Side Side,
    decimal Collateral,
    decimal Leverage,
    decimal EntryPrice,
    decimal LiquidationPrice,
    decimal? TakeProfit,
    decimal StopLoss,
    bool StopLossSetByBot,
    decimal OpenFee,
    DateTimeOffset OpenedAt,
    PositionStatus Status,
    decimal RealizedPnl,
    DateTimeOffset? ClosedAt)
{
    public decimal Notional => Collateral * Leverage;
}
