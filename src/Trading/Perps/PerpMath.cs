namespace VantaBot.Trading.Perps;

/// <summary>
/// The arithmetic of a perpetual position (Avantis v1 rules, which follow gTrade), in <see cref="decimal"/> only.
/// Pure functions: no rounding here; amounts keep full decimal precision and are rounded to token units where
/// they enter the ledger or the chain. Rates and fractions are plain fractions (0.0006 = 6 bps, 0.8 = 80%).
/// </summary>
public static class PerpMath
{
    /// <summary>
    /// The smallest positive price the venue can represent (Avantis prices carry 1e10 precision). Price limits that
    /// would fall to zero or below are floored here.
    /// </summary>
    public const decimal MinPositivePrice = 0.0000000001m;

    /// <summary>
    /// The fill price when opening, the spread taken against the trader:
    /// long = mark · (1 + spread) (buys above mark); short = mark · (1 − spread) (sells below mark).
    /// </summary>
    public static decimal EntryPrice(decimal mark, Side side, decimal spreadRate) =>
        side == Side.Long ? mark * (1m + spreadRate) : mark * (1m - spreadRate);

    /// <summary>
    /// The fill price when closing, the spread again against the trader:
    /// long = mark · (1 − spread) (sells below mark); short = mark · (1 + spread) (buys back above mark).
    /// </summary>
    public static decimal ExitPrice(decimal mark, Side side, decimal spreadRate) =>
        side == Side.Long ? mark * (1m - spreadRate) : mark * (1m + spreadRate);

    /// <summary>A fee on notional: fee = notional · rate (used for both the open and the close fee).</summary>
    public static decimal OpenFee(decimal notional, decimal rate) => notional * rate;

    /// <summary>
    /// The open fee for a posted collateral: fee = posted · leverage · rate, i.e. the fee rate applied to the notional
    /// the trader asked for (posted × leverage), as the venue charges it.
    /// </summary>
    public static decimal OpenFeeOnPosted(decimal postedCollateral, decimal leverage, decimal rate) =>
        OpenFee(postedCollateral * leverage, rate);

    /// <summary>
    /// What backs the position once the open fee has been taken from the posted collateral:
    /// collateral = posted − posted · leverage · rate. The fee is taken out of the collateral rather than charged on
    /// top, so the trader never spends more than they posted; the position's notional is then collateral · leverage,
    /// slightly below posted · leverage. May be ≤ 0 when the fee eats the whole posting (caller rejects).
    /// </summary>
    public static decimal CollateralAfterOpenFee(decimal postedCollateral, decimal leverage, decimal rate) =>
        postedCollateral - OpenFeeOnPosted(postedCollateral, leverage, rate);

    /// <summary>
    /// Profit (positive) or loss (negative) before fees on a notional traded between two prices:
    /// long = (exit − entry) / entry · notional; short = (entry − exit) / entry · notional.
    /// </summary>
    public static decimal GrossPnl(Side side, decimal entry, decimal exit, decimal notional)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(entry);
        var move = side == Side.Long ? exit - entry : entry - exit;
        return move * notional / entry;
    }

    /// <summary>
    /// The rollover (margin) fee accrued while open: notional · ratePerHour · hours, with hours = (now − openedAt) in
    /// fractional hours, and 0 when <paramref name="now"/> is not after <paramref name="openedAt"/> (never negative).
    /// </summary>
    public static decimal RolloverFee(decimal notional, decimal ratePerHour, DateTimeOffset openedAt, DateTimeOffset now)
    {
        var ticks = (now - openedAt).Ticks;
        if (ticks <= 0)
        {
            return 0m;
        }

        decimal hours = (decimal)ticks / TimeSpan.TicksPerHour;
        return notional * ratePerHour * hours;
    }

    /// <summary>
    /// The price at which the position is liquidated (Avantis v1): the position goes when its remaining value falls
    /// to <paramref name="liquidationRemainingFraction"/> of collateral, fees accrued included.
    /// distance = entry · (collateral · (1 − remaining) − rolloverFee) / (collateral · leverage);
    /// long = entry − distance, short = entry + distance; never below 0. With a rollover fee above
    /// collateral · (1 − remaining) the distance turns negative and the price lies on the profit side of entry: the
    /// position is liquidatable at once.
    /// </summary>
    public static decimal LiquidationPrice(
        Side side, decimal entry, decimal collateral, decimal leverage, decimal rolloverFee, decimal liquidationRemainingFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(collateral);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(leverage);
        var distance = entry * ((collateral * (1m - liquidationRemainingFraction)) - rolloverFee) / (collateral * leverage);
        var price = side == Side.Long ? entry - distance : entry + distance;
        return Math.Max(price, 0m);
    }

    /// <summary>
    /// The furthest take-profit the venue accepts, where profit on collateral reaches <paramref name="maxGainFraction"/>
    /// (Avantis MAX_GAIN_P, 900% = 9): long = entry · (1 + maxGain / leverage);
    /// short = entry · (1 − maxGain / leverage), floored at <see cref="MinPositivePrice"/> (a short can never gain more
    /// than a price of zero allows).
    /// </summary>
    public static decimal MaxTakeProfitPrice(Side side, decimal entry, decimal leverage, decimal maxGainFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(leverage);
        var move = maxGainFraction / leverage;
        return side == Side.Long ? entry * (1m + move) : Math.Max(entry * (1m - move), MinPositivePrice);
    }

    /// <summary>
    /// The furthest stop-loss the venue accepts, where loss on collateral reaches <paramref name="maxSlFraction"/>
    /// (Avantis MAX_SL_P, 80% = 0.8): long = entry · (1 − maxSl / leverage), floored at 0;
    /// short = entry · (1 + maxSl / leverage).
    /// </summary>
    public static decimal StopLossLimitPrice(Side side, decimal entry, decimal leverage, decimal maxSlFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(leverage);
        var move = maxSlFraction / leverage;
        return side == Side.Long ? Math.Max(entry * (1m - move), 0m) : entry * (1m + move);
    }

    /// <summary>
    /// The loss on collateral, as a fraction, if the position were closed at <paramref name="price"/> (fees aside):
    /// long = (entry − price) / entry · leverage; short = (price − entry) / entry · leverage.
    /// Positive is a loss, negative a profit.
    /// </summary>
    public static decimal LossFractionAtPrice(Side side, decimal entry, decimal price, decimal leverage)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(entry);
        var adverse = side == Side.Long ? entry - price : price - entry;
        return adverse * leverage / entry;
    }

    /// <summary>
    /// What returns to the trader on a close: payout = collateral + grossPnl − closeFee − rolloverFee, floored at 0
    /// (a position never owes more than its collateral).
    /// </summary>
    public static decimal Payout(decimal collateral, decimal grossPnl, decimal closeFee, decimal rolloverFee) =>
        Math.Max(collateral + grossPnl - closeFee - rolloverFee, 0m);
}
