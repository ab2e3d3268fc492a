using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Swaps;

/// <summary>A trader's swap of an exact input amount, as parsed from chat (or copied from a leader).</summary>
public sealed record SwapOrder(
    UserId User,
    string IdempotencyKey,
    string Chain,
    string FromSymbol,
    string ToSymbol,
    decimal AmountIn,
    int SlippageBasisPoints,
    bool IsCopy = false);

/// <summary>
/// A venue's price for swapping <see cref="AmountIn"/>: what it expects to pay out now, on which route, and the
/// gas it expects. <see cref="QuotedAt"/> decides when the quote is too old to execute on.
/// </summary>
public sealed record SwapQuote(
    string Chain,
    string Route,
    SwapToken TokenIn,
    SwapToken TokenOut,
    TokenAmount AmountIn,
    TokenAmount ExpectedOut,
    decimal PriceImpactFraction,
    long GasEstimate,
    TokenAmount GasCost,
    string NativeSymbol,
    DateTimeOffset QuotedAt);

/// <summary>What the confirmation card shows and the confirm tap executes: the quote, and the minimum the trader accepts.</summary>
public sealed record SwapPreview(SwapOrder Order, SwapQuote Quote, TokenAmount MinimumOut, bool IsLive, decimal NotionalUsd);

/// <summary>How a swap ended. Every non-swapped outcome explains itself.</summary>
public abstract record SwapOutcome(string Message)
{
    public sealed record Swapped(SwapIntent Intent, TokenAmount AmountOut, string? TransactionHash) : SwapOutcome("swapped");

    public sealed record NeedsConfirmation(SwapPreview Preview) : SwapOutcome("confirm");

    public sealed record AlreadyHandled(SwapIntent Intent) : SwapOutcome($"This swap was already handled ({Intent.State}).");

    public sealed record Rejected(string Rule, string Reason) : SwapOutcome(Reason);

    /// <summary>The chain did not answer in time; the intent stays Submitted and recovery settles or voids it.</summary>
    public sealed record Unknown(string Reason) : SwapOutcome(Reason);
}

public static class SwapRejectionCodes
{
    public const string UnknownChain = "UnknownChain";
    public const string UnknownToken = "UnknownToken";
    public const string InvalidAmount = "InvalidAmount";
    public const string Slippage = "Slippage";
    public const string NoRoute = "NoRoute";
    public const string PriceImpact = "PriceImpact";
    public const string MaxSwapSize = "MaxSwapSize";
    public const string InsufficientFunds = "InsufficientFunds";
    public const string InsufficientGas = "InsufficientGas";
    public const string PriceMoved = "PriceMoved";
    public const string NoWallet = "NoWallet";
}

/// <summary>What a venue reports for an executed swap.</summary>
public sealed record SwapFill(IntentId ClientOrderId, TokenAmount AmountOut, string? TransactionHash, TokenAmount GasPaid);
