namespace VantaBot.Risk;

/// <summary>
/// Everything the risk rules need to judge one order that opens or adds to a leveraged position, as plain numbers
/// (no Trading types). Prices in USD per unit; amounts in USD; fractions are plain fractions.
/// </summary>
/// <param name="Pair">Display name of the pair, e.g. <c>ETH/USD</c>; used in messages only.</param>
/// <param name="IsLong">True for a long, false for a short.</param>
/// <param name="Collateral">Collateral of the new position after the open fee, USD.</param>
/// <param name="Leverage">Requested leverage; notional = <paramref name="Collateral"/> × leverage.</param>
/// <param name="EntryPrice">Expected fill price (mark plus the spread against the trader).</param>
/// <param name="MarkPrice">Current (fresh) mark price.</param>
/// <param name="LiquidationPrice">The venue's liquidation price for the new position, on the loss side of the entry.</param>
/// <param name="StopLoss">The trader's stop-loss, or null to let the bot set one at the liquidation buffer.</param>
/// <param name="TakeProfit">The trader's take-profit, or null.</param>
/// <param name="OpenFee">Fee charged at open, USD.</param>
/// <param name="EstimatedCloseFee">Expected fee at close, USD.</param>
/// <param name="LeverageMin">
/// Lower bound of the venue's leverage group that admits <paramref name="Leverage"/>; when no group admits it, the
/// pair's overall bounds (lowest minimum, highest maximum), so the rule rejects it with the pair's range.
/// </param>
/// <param name="LeverageMax">Upper bound, chosen the same way as <paramref name="LeverageMin"/>.</param>
/// <param name="IsPriceStale">True when the pair's price feed is stale; no position opens on a stale price.</param>
/// <param name="AccountEquity">The user's account equity now (balance plus unrealized PnL), USD.</param>
/// <param name="ExistingNotionalInPair">Notional of the user's open positions in this pair (both sides), USD.</param>
/// <param name="ExistingAtRiskInPair">What those positions lose if their stop-losses fire, fees included, USD.</param>
/// <param name="DayStartEquity">The user's equity at the start of the current risk day, USD.</param>
/// <param name="CurrentEquity">The user's equity now, USD (same basis as <paramref name="DayStartEquity"/>).</param>
/// <param name="IsConfirmed">True when the trader already confirmed this order's high-leverage card.</param>
public sealed record OpenRiskRequest(
    string Pair,
    bool IsLong,
    decimal Collateral,
    decimal Leverage,
    decimal EntryPrice,
    decimal MarkPrice,
    decimal LiquidationPrice,
    decimal? StopLoss,
    decimal? TakeProfit,
    decimal OpenFee,
    decimal EstimatedCloseFee,
    decimal LeverageMin,
    decimal LeverageMax,
    bool IsPriceStale,
    decimal AccountEquity,
    decimal ExistingNotionalInPair,
    decimal ExistingAtRiskInPair,
    decimal DayStartEquity,
    decimal CurrentEquity,
    bool IsConfirmed)
{
    /// <summary>Notional of the new position: collateral × leverage, USD.</summary>
    public decimal Notional => Collateral * Leverage;

    public string Side => IsLong ? "long" : "short";
}
