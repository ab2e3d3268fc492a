namespace VantaBot.Risk;

/// <summary>
/// The leverage must lie within <see cref="OpenRiskRequest.LeverageMin"/>..<see cref="OpenRiskRequest.LeverageMax"/>,
/// both ends included.
/// </summary>
public sealed class LeverageBoundsRule : IOpenRiskRule
{
    public string Name => RiskRuleNames.LeverageBounds;

    public RiskCheck Check(OpenRiskRequest request, decimal effectiveStopLoss)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Leverage >= request.LeverageMin && request.Leverage <= request.LeverageMax
            ? RiskCheck.Pass
            : RiskCheck.Reject(
                $"Leverage: {RiskFormat.Leverage(request.Leverage)} is outside the allowed " +
                $"{RiskFormat.Leverage(request.LeverageMin)}–{RiskFormat.Leverage(request.LeverageMax)} for {request.Pair}.");
    }
}
