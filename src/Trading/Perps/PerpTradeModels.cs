using VantaBot.Trading.Markets;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Perps;

/// <summary>A trader's request to open a position, as parsed from chat (or copied from a leader).</summary>
public sealed record OpenPositionOrder(
    UserId User,
    string IdempotencyKey,
    Pair Pair,
    Side Side,
    decimal Collateral,
    decimal Leverage,
    decimal? TakeProfit,
    decimal? StopLoss,
    bool IsConfirmed,
    bool IsCopy = false);

/// <summary>How an open ended. Every non-opened outcome explains itself in <see cref="Message"/>.</summary>
public abstract record OpenPositionOutcome(string Message)
{
    public sealed record Opened(Position Position, IReadOnlyList<string> Notes) : OpenPositionOutcome("opened");

    /// <summary>The same update or button was seen before; this is the first delivery's result.</summary>
    public sealed record AlreadyHandled(Position? Position, string State) : OpenPositionOutcome($"This order was already handled ({State}).");

    public sealed record Rejected(string Rule, string Reason) : OpenPositionOutcome(Reason);

    public sealed record NeedsConfirmation(string Summary) : OpenPositionOutcome(Summary);

    /// <summary>The venue call failed in flight; the intent stays Submitted and recovery settles or voids it.</summary>
    public sealed record Unknown(string Reason) : OpenPositionOutcome(Reason);
}
