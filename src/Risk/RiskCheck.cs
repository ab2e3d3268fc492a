namespace VantaBot.Risk;

/// <summary>What one <see cref="IOpenRiskRule"/> says about an order: pass, reject, or ask for confirmation.</summary>
public enum RiskCheckOutcome
{
    Pass,
    Reject,
    NeedsConfirmation,
}

/// <summary>The result of one rule. <see cref="Message"/> is the rejection message or the confirmation summary.</summary>
public readonly record struct RiskCheck(RiskCheckOutcome Outcome, string? Message)
{
    public static RiskCheck Pass => new(RiskCheckOutcome.Pass, null);

    public static RiskCheck Reject(string message) => new(RiskCheckOutcome.Reject, message);

    public static RiskCheck Confirm(string summary) => new(RiskCheckOutcome.NeedsConfirmation, summary);

    public bool Passed => Outcome == RiskCheckOutcome.Pass;
}
