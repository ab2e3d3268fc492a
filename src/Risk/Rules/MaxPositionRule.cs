using Microsoft.Extensions.Options;

namespace VantaBot.Risk;

/// <summary>
/// The user's notional in the pair after this order — existing + collateral × leverage — may not exceed
/// <see cref="RiskOptions.MaxPositionUsd"/> (exactly at the limit passes).
/// </summary>
public sealed class MaxPositionRule(IOptions<RiskOptions> options) : IOpenRiskRule
{
    private readonly RiskOptions _options = options.Value;

    public string Name => RiskRuleNames.MaxPosition;

    public RiskCheck Check(OpenRiskRequest request, decimal effectiveStopLoss)
    {
        ArgumentNullException.ThrowIfNull(request);
        var added = request.Notional;
        var total = request.ExistingNotionalInPair + added;
        return total <= _options.MaxPositionUsd
            ? RiskCheck.Pass
            : RiskCheck.Reject(
                $"Max position: {RiskFormat.Usd(total)} USD notional in {request.Pair} " +
                $"({RiskFormat.Usd(request.ExistingNotionalInPair)} existing + {RiskFormat.Usd(added)} new) " +
                $"exceeds the {RiskFormat.Usd(_options.MaxPositionUsd)} USD limit.");
    }
}
