namespace VantaBot.Risk;

/// <summary>
/// The stop-loss must sit on the loss side of the mark price and the take-profit (when given) on the profit side:
/// long SL &lt; mark &lt; TP, short TP &lt; mark &lt; SL. Otherwise the order would close the moment it opens.
/// </summary>
public sealed class ExitPriceSideRule : IOpenRiskRule
{
    public string Name => RiskRuleNames.ExitPriceSide;

    public RiskCheck Check(OpenRiskRequest request, decimal effectiveStopLoss)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mark = request.MarkPrice;
        var stopOk = request.IsLong ? effectiveStopLoss < mark : effectiveStopLoss > mark;
        if (!stopOk)
        {
            return RiskCheck.Reject(
                $"Stop-loss side: a {request.Side}'s stop-loss must be {(request.IsLong ? "below" : "above")} the " +
                $"mark price {RiskFormat.Price(mark)} of {request.Pair}; got {RiskFormat.Price(effectiveStopLoss)}.");
        }

        if (request.TakeProfit is { } takeProfit && (request.IsLong ? takeProfit <= mark : takeProfit >= mark))
        {
            return RiskCheck.Reject(
                $"Take-profit side: a {request.Side}'s take-profit must be {(request.IsLong ? "above" : "below")} the " +
                $"mark price {RiskFormat.Price(mark)} of {request.Pair}; got {RiskFormat.Price(takeProfit)}.");
        }

        return RiskCheck.Pass;
    }
}
