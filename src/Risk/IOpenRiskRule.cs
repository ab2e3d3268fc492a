namespace VantaBot.Risk;

/// <summary>
/// One independent pre-trade rule for opening (or adding to) a position. Rules are pure: no I/O, no clock, no state
/// between calls. <see cref="LeverageSafetyManager"/> composes them.
/// </summary>
public interface IOpenRiskRule
{
    /// <summary>Stable code (see <see cref="RiskRuleNames"/>), reported as <see cref="RiskDecision.Rejected.Rule"/>.</summary>
    string Name { get; }

    /// <param name="request">The order and the user's exposure.</param>
    /// <param name="effectiveStopLoss">The trader's stop-loss, or the bot's default when the trader gave none.</param>
    RiskCheck Check(OpenRiskRequest request, decimal effectiveStopLoss);
}
