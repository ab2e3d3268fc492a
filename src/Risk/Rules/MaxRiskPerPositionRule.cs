using Microsoft.Extensions.Options;

namespace VantaBot.Risk;

/// <summary>
/// What the pair's positions lose if their stop-losses fire may not exceed
/// <see cref="RiskOptions.MaxRiskPerPositionFraction"/> of account equity:
/// existing at-risk + <see cref="RiskMath.AtRisk"/>(effective stop-loss) ≤ fraction × equity (exactly at the limit passes).
/// </summary>
public sealed class MaxRiskPerPositionRule(IOptions<RiskOptions> options) : IOpenRiskRule
{
    private readonly RiskOptions _options = options.Value;

    public string Name => RiskRuleNames.MaxRiskPerPosition;

    public RiskCheck Check(OpenRiskRequest request, decimal effectiveStopLoss)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fees = request.OpenFee + request.EstimatedCloseFee;
        var added = RiskMath.AtRisk(request, effectiveStopLoss);
        var total = request.ExistingAtRiskInPair + added;
        var limit = _options.MaxRiskPerPositionFraction * request.AccountEquity;
        return total <= limit
            ? RiskCheck.Pass
            : RiskCheck.Reject(
                $"Max risk per position: {RiskFormat.Usd(total)} USD at risk in {request.Pair} " +
                $"({RiskFormat.Usd(request.ExistingAtRiskInPair)} existing + {RiskFormat.Usd(added)} new: " +
                $"{RiskFormat.Usd(added - fees)} lost at the stop-loss {RiskFormat.Price(effectiveStopLoss)} + " +
                $"{RiskFormat.Usd(fees)} fees) exceeds {RiskFormat.Percent(_options.MaxRiskPerPositionFraction)} of the " +
                $"{RiskFormat.Usd(request.AccountEquity)} USD account equity ({RiskFormat.Usd(limit)} USD).");
    }
}
