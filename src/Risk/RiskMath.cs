namespace VantaBot.Risk;

/// <summary>
/// The formulas shared by the manager and the rules, so the bot's default stop-loss and the rule that checks a
/// stop-loss can never disagree.
/// </summary>
public static class RiskMath
{
    /// <summary>Decimals the bot's default stop-loss is rounded to (always toward the entry, the safe side).</summary>
    public const int DefaultStopLossDecimals = 8;

    /// <summary>
    /// Share of collateral lost if the price moves from the entry to <paramref name="price"/>:
    /// long (entry − price) / entry × leverage, short (price − entry) / entry × leverage. Negative on the profit side.
    /// </summary>
    public static decimal LossFractionAt(OpenRiskRequest request, decimal price)
    {
        ArgumentNullException.ThrowIfNull(request);
        var move = request.IsLong ? request.EntryPrice - price : price - request.EntryPrice;
        return move / request.EntryPrice * request.Leverage;
    }

    /// <summary>
    /// The furthest stop-loss the liquidation buffer allows: the price at which the position has lost
    /// <paramref name="bufferFraction"/> of collateral less than at liquidation.
    /// Long: liquidation + entry × buffer / leverage; short: liquidation − entry × buffer / leverage.
    /// With liquidation at a 90% loss this is entry × (1 ∓ (0.90 − buffer) / leverage), e.g. entry 3,000, 10x,
    /// liquidation 2,730: 2,730 + 3,000 × 0.05 / 10 = 2,745 (an 85% loss).
    /// </summary>
    public static decimal StopLossLimit(OpenRiskRequest request, decimal bufferFraction)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = request.EntryPrice * bufferFraction / request.Leverage;
        return request.IsLong ? request.LiquidationPrice + buffer : request.LiquidationPrice - buffer;
    }

    /// <summary>
    /// The bot's stop-loss when the trader gives none: <see cref="StopLossLimit"/>, rounded to
    /// <see cref="DefaultStopLossDecimals"/> decimals toward the entry (up for a long, down for a short) so rounding
    /// can only make it safer.
    /// </summary>
    public static decimal DefaultStopLoss(OpenRiskRequest request, decimal bufferFraction)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = StopLossLimit(request, bufferFraction);
        return decimal.Round(
            limit,
            DefaultStopLossDecimals,
            request.IsLong ? MidpointRounding.ToPositiveInfinity : MidpointRounding.ToNegativeInfinity);
    }

    /// <summary>
    /// What the new position loses if its stop-loss fires, fees included:
    /// collateral × max(0, loss fraction at the stop-loss) + open fee + estimated close fee.
    /// </summary>
    public static decimal AtRisk(OpenRiskRequest request, decimal stopLoss)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lossAtStop = request.Collateral * Math.Max(0m, LossFractionAt(request, stopLoss));
        return lossAtStop + request.OpenFee + request.EstimatedCloseFee;
    }
}
