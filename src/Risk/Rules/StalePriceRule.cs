namespace VantaBot.Risk;

/// <summary>No position opens on a stale price: the entry, liquidation and stop-loss would all be guesses.</summary>
public sealed class StalePriceRule : IOpenRiskRule
{
    public string Name => RiskRuleNames.StalePrice;

    public RiskCheck Check(OpenRiskRequest request, decimal effectiveStopLoss)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.IsPriceStale
            ? RiskCheck.Reject(
                $"Stale price: the {request.Pair} price is stale (last mark {RiskFormat.Price(request.MarkPrice)}); " +
                "no position opens until a fresh price arrives.")
            : RiskCheck.Pass;
    }
}
