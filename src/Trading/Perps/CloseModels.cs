using VantaBot.Trading.Markets;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Perps;

/// <summary>Why a position (or part of it) was closed; recorded with the close and shown in /history.</summary>
public enum CloseReason
{
    Manual,
    TakeProfit,
    StopLoss,
    Liquidation,
    EmergencyStop,
    Copy,
}

/// <summary>How the venue prices a close: at the market, or at a trigger the market has crossed.</summary>
public enum CloseTrigger
{
    Market,
    TakeProfit,
    StopLoss,
    Liquidation,
}

public static class CloseReasons
{
    public static CloseTrigger TriggerOf(this CloseReason reason) => reason switch
    {
        CloseReason.TakeProfit => CloseTrigger.TakeProfit,
        CloseReason.StopLoss => CloseTrigger.StopLoss,
        CloseReason.Liquidation => CloseTrigger.Liquidation,
        _ => CloseTrigger.Market,
    };
}

/// <summary>A request to close <see cref="Fraction"/> (0 &lt; f ≤ 1) of a position's current size.</summary>
public sealed record ClosePositionOrder(UserId User, string IdempotencyKey, PositionId Position, decimal Fraction, CloseReason Reason);

/// <summary>
/// One settled close. <see cref="RealizedPnl"/> is net of every fee: payout − closed collateral − the closed
/// part's share of the open fee, so summing it over a period gives what the trader made or lost.
/// </summary>
public sealed record PositionClose(
    IntentId Intent,
    PositionId Position,
    UserId User,
    Pair Pair,
    Side Side,
    CloseReason Reason,
    decimal Fraction,
    decimal ClosedCollateral,
    decimal Leverage,
    decimal EntryPrice,
    decimal ExitPrice,
    decimal GrossPnl,
    decimal Fees,
    decimal Payout,
    decimal RealizedPnl,
    DateTimeOffset ClosedAt)
{
    public bool ClosedFully => Fraction == 1m;
}

/// <summary>How a close ended. Every non-closed outcome explains itself in <see cref="Message"/>.</summary>
public abstract record ClosePositionOutcome(string Message)
{
    /// <summary>Settled; <see cref="Remaining"/> is the rest of the position after a partial close, null when fully closed.</summary>
    public sealed record Closed(PositionClose Close, Position? Remaining) : ClosePositionOutcome("closed");

    public sealed record AlreadyHandled(string State) : ClosePositionOutcome($"This close was already handled ({State}).");

    public sealed record Rejected(string Rule, string Reason) : ClosePositionOutcome(Reason);

    /// <summary>The venue call failed in flight; recovery settles or voids the intent.</summary>
    public sealed record Unknown(string Reason) : ClosePositionOutcome(Reason);
}
