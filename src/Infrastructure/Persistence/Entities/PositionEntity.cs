using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Entities;

public sealed class PositionEntity
{
    public PositionId Id { get; set; }

    public UserId UserId { get; set; }

    public IntentId OpenIntentId { get; set; }

    public string Pair { get; set; } = "";

    public Side Side { get; set; }

    public long CollateralMicros { get; set; }

    public decimal Leverage { get; set; }

    public decimal EntryPrice { get; set; }

    public decimal LiquidationPrice { get; set; }

    public decimal? TakeProfit { get; set; }

    public decimal StopLoss { get; set; }

    public bool StopLossSetByBot { get; set; }

    public long OpenFeeMicros { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    public PositionStatus Status { get; set; }

    public long RealizedPnlMicros { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The close intent working on this position, if any: at most one close runs at a time.</summary>
    public IntentId? ClosingIntentId { get; set; }
}
