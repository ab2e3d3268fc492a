using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Ledger;

public enum IntentState
{
    Pending,
    Submitted,
    Filled,
    Failed,
    Cancelled,
}

public enum IntentKind
{
    OpenPerp,
    ClosePerp,
}

/// <summary>
/// A write-ahead order intent. <see cref="IdempotencyKey"/> is unique per user ("update:&lt;id&gt;",
/// "callback:&lt;id&gt;"), so a re-delivered update or a double-tapped button maps to the same intent.
/// </summary>
public sealed record OrderIntent(
    IntentId Id,
    UserId User,
    IntentKind Kind,
    IntentState State,
    string IdempotencyKey,
    Pair Pair,
    Side Side,
    decimal Collateral,
    decimal Leverage,
    decimal? TakeProfit,
    decimal? StopLoss,
    PositionId? Position,
    decimal CloseFraction,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    bool StopLossSetByBot = false,
    CloseReason? CloseReason = null);

public enum PlaceIntentOutcome
{
    Placed,
    Duplicate,
    InsufficientFunds,

    /// <summary>A close for a position that is not open (or not the user's).</summary>
    PositionNotOpen,

    /// <summary>A close for a position another close is still working on.</summary>
    PositionBusy,
}

public sealed record PlaceIntentResult(PlaceIntentOutcome Outcome, OrderIntent Intent, AccountSnapshot Account);
