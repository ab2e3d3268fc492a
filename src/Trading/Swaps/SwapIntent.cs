using VantaBot.Risk;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Swaps;

/// <summary>
/// A write-ahead swap. While it is Pending or Submitted, <see cref="AmountIn"/> of <see cref="TokenIn"/> is held in the
/// wallet: available = on-chain balance − every unresolved swap's input, so two concurrent swaps cannot spend the
/// same tokens. <see cref="Id"/> is the client order id the venue's records are keyed by.
/// </summary>
public sealed record SwapIntent(
    IntentId Id,
    UserId User,
    string IdempotencyKey,
    IntentState State,
    ExecutionMode Mode,
    string Chain,
    string WalletAddress,
    SwapToken TokenIn,
    SwapToken TokenOut,
    TokenAmount AmountIn,
    TokenAmount ExpectedOut,
    TokenAmount MinimumOut,
    string Route,
    TokenAmount? AmountOut,
    string? TransactionHash,
    string? FailureReason,
    DateTimeOffset CreatedAt);

public enum PlaceSwapOutcome
{
    Placed,
    Duplicate,
    InsufficientFunds,
}

/// <summary><see cref="Available"/> is the wallet's balance of the input token less the other swaps' holds.</summary>
public sealed record PlaceSwapResult(PlaceSwapOutcome Outcome, SwapIntent Intent, TokenAmount Available);

/// <summary>The persisted half of the swap path; each method is one database transaction.</summary>
public interface ISwapIntentStore
{
    /// <summary>
    /// Write-ahead: inserts the intent only when <paramref name="walletBalance"/> (read from the chain just before)
    /// covers its input plus the inputs already held by unresolved swaps of the same wallet, chain and token. The
    /// check and the insert are serialized per wallet and token.
    /// </summary>
    Task<PlaceSwapResult> PlaceAsync(SwapIntent intent, TokenAmount walletBalance, CancellationToken cancellationToken);

    /// <summary>Pending → Submitted; false when recovery ended the intent first (then nothing may be sent).</summary>
    Task<bool> MarkSubmittedAsync(IntentId intent, CancellationToken cancellationToken);

    /// <summary>Marks the swap filled (its hold ends with it) and writes the outcome notice, atomically.</summary>
    Task<SwapIntent> CompleteAsync(IntentId intent, SwapFill fill, CancellationToken cancellationToken);

    /// <summary>Ends the swap as failed or cancelled (releasing its hold), with the notice when one is owed.</summary>
    Task<SwapIntent> FailAsync(IntentId intent, IntentState finalState, string reason, CancellationToken cancellationToken);

    Task<SwapIntent?> FindAsync(IntentId intent, CancellationToken cancellationToken);

    Task<SwapIntent?> FindByIdempotencyKeyAsync(UserId user, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The input amount held by unresolved swaps of this wallet, chain and token.</summary>
    Task<TokenAmount> GetHeldAsync(string chain, string walletAddress, SwapToken token, CancellationToken cancellationToken);

    /// <summary>Swaps left Pending or Submitted, oldest first.</summary>
    Task<IReadOnlyList<SwapIntent>> GetUnresolvedAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<SwapIntent>> GetRecentAsync(UserId user, int count, CancellationToken cancellationToken);
}
