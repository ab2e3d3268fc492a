namespace VantaBot.Risk;

/// <summary>
/// The outcome of <see cref="LeverageSafetyManager.Evaluate"/>: exactly one of <see cref="Approved"/>,
/// <see cref="Rejected"/> or <see cref="NeedsConfirmation"/> (the constructor is private, so the set is closed).
/// </summary>
public abstract record RiskDecision
{
    private RiskDecision()
    {
    }

    /// <summary>The order may go ahead, with <paramref name="StopLoss"/> attached to the position.</summary>
    /// <param name="StopLoss">The stop-loss to place: the trader's, or the bot's default at the liquidation buffer.</param>
    /// <param name="StopLossWasSetByBot">True when the trader gave none and the bot chose <paramref name="StopLoss"/>.</param>
    /// <param name="Notes">Lines to show the trader alongside the order (e.g. where the bot put the stop-loss).</param>
    public sealed record Approved(decimal StopLoss, bool StopLossWasSetByBot, IReadOnlyList<string> Notes) : RiskDecision;

    /// <summary>A rule refused the order.</summary>
    /// <param name="Rule">The rule's name (<see cref="RiskRuleNames"/>), a stable code for metrics and audit.</param>
    /// <param name="Message">Human message naming the limit and the numbers.</param>
    public sealed record Rejected(string Rule, string Message) : RiskDecision;

    /// <summary>
    /// Every rule passed but the order needs the trader's explicit confirmation; evaluate again with
    /// <see cref="OpenRiskRequest.IsConfirmed"/> once confirmed (on fresh prices).
    /// </summary>
    /// <param name="Summary">Leverage, liquidation price, distance to it in % of entry, and fees.</param>
    public sealed record NeedsConfirmation(string Summary) : RiskDecision;
}
