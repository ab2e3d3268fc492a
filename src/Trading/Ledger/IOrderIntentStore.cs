using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Ledger;

/// <summary>
/// The persisted half of the trade path. Every method is one database transaction; each state is written
/// before the next external call, so a crash anywhere leaves an intent the recovery step can resolve.
/// </summary>
public interface IOrderIntentStore
{
    /// <summary>
    /// Write-ahead for an open: the intent and a hold of its collateral commit together, and only when the
    /// available balance covers it. A repeated idempotency key returns the first intent as a duplicate.
    /// </summary>
    Task<PlaceIntentResult> PlaceOpenAsync(OrderIntent intent, CancellationToken cancellationToken);

    Task MarkSubmittedAsync(IntentId intent, CancellationToken cancellationToken);

    /// <summary>Posts the hold as a ledger debit, creates the position and marks the intent filled, atomically.</summary>
    Task<Position> CompleteOpenAsync(IntentId intent, PerpOpenFill fill, decimal stopLoss, bool stopLossSetByBot, CancellationToken cancellationToken);

    /// <summary>Voids the hold (if any) and ends the intent as failed or cancelled, atomically.</summary>
    Task FailAsync(IntentId intent, IntentState finalState, string reason, CancellationToken cancellationToken);

    Task<OrderIntent?> FindAsync(IntentId intent, CancellationToken cancellationToken);

    Task<OrderIntent?> FindByIdempotencyKeyAsync(UserId user, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Intents left Pending or Submitted, oldest first.</summary>
    Task<IReadOnlyList<OrderIntent>> GetUnresolvedAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<Position>> GetOpenPositionsAsync(UserId user, CancellationToken cancellationToken);
}
