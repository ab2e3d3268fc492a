using VantaBot.Trading.Users;

namespace VantaBot.Trading.Ledger;

/// <summary>Append-only money ledger per user, with holds. Available = balance − holds, never negative.</summary>
public interface IAccountLedger
{
    Task<AccountSnapshot> GetAsync(UserId user, CancellationToken cancellationToken);

    /// <summary>Credits paper funds. Idempotent on <paramref name="idempotencyKey"/>: a repeat credits nothing and returns false.</summary>
    Task<bool> DepositAsync(UserId user, decimal amount, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Recomputes every balance and hold total from entries and holds and lists the accounts that disagree.</summary>
    Task<IReadOnlyList<LedgerDiscrepancy>> VerifyAsync(CancellationToken cancellationToken);
}

public sealed record LedgerDiscrepancy(UserId User, decimal StoredBalance, decimal EntrySum, decimal StoredHeld, decimal ActiveHoldSum);
