using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Entities;

public sealed class OrderIntentEntity
{
    public IntentId Id { get; set; }

    public UserId UserId { get; set; }

    public IntentKind Kind { get; set; }

    public IntentState State { get; set; }

    public string IdempotencyKey { get; set; } = "";

    public string Pair { get; set; } = "";

    public Side Side { get; set; }

    public decimal Collateral { get; set; }

    public decimal Leverage { get; set; }

    public decimal? TakeProfit { get; set; }

    public decimal? StopLoss { get; set; }

    public PositionId? PositionId { get; set; }

    public decimal CloseFraction { get; set; }

    /// <summary>The hold placed with the intent, in micro-USDC; 0 once posted or voided.</summary>
    public long HeldMicros { get; set; }

    public string? FailureReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Whether the bot chose the stop-loss (kept so recovery settles the position exactly as the trade path would).</summary>
    public bool StopLossSetByBot { get; set; }

    public CloseReason? CloseReason { get; set; }
}
