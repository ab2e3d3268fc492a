using VantaBot.Trading.Markets;

namespace VantaBot.Trading.Perps;

/// <summary>
/// A perpetuals venue: the paper venue in DRY mode, a live venue (Avantis) later. Both pass the same contract
/// tests. Expected failures (stale price, bounds) are <see cref="VenueResult{T}"/> rejections, not exceptions.
/// Every call is idempotent on the client order id: repeating it returns the first outcome.
/// </summary>
public interface IPerpVenue
{
    string Name { get; }

    Task<VenueResult<PerpOpenFill>> OpenAsync(PerpOpenRequest request, CancellationToken cancellationToken);

    Task<VenueResult<PerpCloseFill>> CloseAsync(PerpCloseRequest request, CancellationToken cancellationToken);

    /// <summary>What the venue knows of an order (recovery after a crash); null when it never saw it.</summary>
    Task<VenueOrderStatus?> FindOrderAsync(IntentId clientOrderId, CancellationToken cancellationToken);
}

/// <summary>
/// Opens a position. <see cref="ExpectedEntryPrice"/> is the entry the order was checked on; the venue refuses a
/// fill more than <see cref="MaxSlippageFraction"/> worse for the trader (Avantis: the open price and slippage of
/// <c>openTrade</c>).
/// </summary>
public sealed record PerpOpenRequest(
    IntentId ClientOrderId,
    Pair Pair,
    Side Side,
    decimal Collateral,
    decimal Leverage,
    decimal? TakeProfit,
    decimal? StopLoss,
    decimal ExpectedEntryPrice,
    decimal MaxSlippageFraction);

/// <summary>
/// Closes <see cref="Fraction"/> (0 &lt; f ≤ 1) of a position opened at <see cref="EntryPrice"/>. A market close
/// fills at the mark; a TP/SL close fills at <see cref="TriggerPrice"/> once the mark has crossed it; a liquidation
/// happens only past the liquidation price and returns nothing.
/// </summary>
public sealed record PerpCloseRequest(
    IntentId ClientOrderId,
    Pair Pair,
    Side Side,
    decimal EntryPrice,
    decimal Collateral,
    decimal Leverage,
    DateTimeOffset OpenedAt,
    decimal Fraction,
    CloseTrigger Trigger = CloseTrigger.Market,
    decimal? TriggerPrice = null);

/// <summary>
/// An executed open. <see cref="Collateral"/> is what backs the position after the open fee was taken from the
/// posted collateral; notional = Collateral × Leverage.
/// </summary>
public sealed record PerpOpenFill(
    IntentId ClientOrderId,
    Pair Pair,
    Side Side,
    decimal MarkPrice,
    decimal EntryPrice,
    decimal Collateral,
    decimal Leverage,
    decimal OpenFee,
    decimal LiquidationPrice,
    DateTimeOffset FilledAt)
{
    public decimal Notional => Collateral * Leverage;
}

/// <summary>
/// An executed (partial) close. Payout = closed collateral + gross PnL − close fee − rollover fee, floored at 0:
/// what returns to the trader's balance.
/// </summary>
public sealed record PerpCloseFill(
    IntentId ClientOrderId,
    decimal MarkPrice,
    decimal ExitPrice,
    decimal ClosedCollateral,
    decimal GrossPnl,
    decimal CloseFee,
    decimal RolloverFee,
    decimal Payout,
    DateTimeOffset FilledAt)
{
    public decimal NetPnl => Payout - ClosedCollateral;
}

public enum VenueOrderState
{
    Filled,
    Rejected,
}

public sealed record VenueOrderStatus(IntentId ClientOrderId, VenueOrderState State, PerpOpenFill? OpenFill, PerpCloseFill? CloseFill, string? RejectionReason);

public sealed record VenueRejection(string Code, string Message);

public sealed record VenueResult<T>(T? Value, VenueRejection? Rejection)
    where T : class
{
    public bool IsSuccess => Value is not null;
}

public static class VenueResult
{
    public static VenueResult<T> Ok<T>(T value)
        where T : class => new(value, null);

    public static VenueResult<T> Reject<T>(string code, string message)
        where T : class => new(null, new VenueRejection(code, message));
}
