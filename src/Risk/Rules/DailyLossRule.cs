using Microsoft.Extensions.Options;

namespace VantaBot.Risk;

/// <summary>
/// Blocks new positions once today's equity is <see cref="RiskOptions.DailyLossLimitFraction"/> or more below the
/// day's starting equity: loss = (day start − current) / day start; loss ≥ limit blocks (exactly at the limit blocks).
/// A day that starts with no equity (≤ 0) has nothing to lose against, so the rule passes.
/// </summary>
public sealed class DailyLossRule(IOptions<RiskOptions> options) : IOpenRiskRule
{
    private readonly RiskOptions _options = options.Value;

    public string Name => RiskRuleNames.DailyLoss;

    public RiskCheck Check(OpenRiskRequest request, decimal effectiveStopLoss)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.DayStartEquity <= 0m)
        {
            return RiskCheck.Pass;
        }

        var loss = (request.DayStartEquity - request.CurrentEquity) / request.DayStartEquity;
        return loss < _options.DailyLossLimitFraction
            ? RiskCheck.Pass
            : RiskCheck.Reject(
                $"Daily loss limit: equity is down {RiskFormat.Percent(loss)} today " +
                $"({RiskFormat.Usd(request.DayStartEquity)} → {RiskFormat.Usd(request.CurrentEquity)} USD), " +
                $"at or beyond the {RiskFormat.Percent(_options.DailyLossLimitFraction)} limit; " +
                "new positions are blocked until the daily reset.");
    }
}
