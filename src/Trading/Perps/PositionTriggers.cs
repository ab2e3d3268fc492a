namespace VantaBot.Trading.Perps;

/// <summary>Which automatic close, if any, a mark price sets off for a position.</summary>
public static class PositionTriggers
{
    /// <summary>
    /// Liquidation first (the price gapped past the stop), then the stop-loss, then the take-profit. A level exactly
    /// at the mark counts as reached, as the venue's keepers treat it.
    /// </summary>
    public static CloseReason? Evaluate(Position position, decimal mark)
    {
        ArgumentNullException.ThrowIfNull(position);
        var isLong = position.Side == Side.Long;
        if (isLong ? mark <= position.LiquidationPrice : mark >= position.LiquidationPrice)
        {
            return CloseReason.Liquidation;
        }

        if (isLong ? mark <= position.StopLoss : mark >= position.StopLoss)
        {
            return CloseReason.StopLoss;
        }

        return position.TakeProfit is { } tp && (isLong ? mark >= tp : mark <= tp) ? CloseReason.TakeProfit : null;
    }
}
