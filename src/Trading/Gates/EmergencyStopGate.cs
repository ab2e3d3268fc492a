using System.Globalization;
using VantaBot.Trading.Control;

namespace VantaBot.Trading.Gates;

/// <summary>
/// Refuses every new perp open and swap while an emergency stop is active. Closes pass, so traders can still
/// reduce risk. Registered at both stages: the second check catches a stop that lands while an order is being
/// priced and risk-checked, before anything is held or sent.
/// </summary>
public sealed class EmergencyStopGate(ISystemControl control, TradeGateStage stage) : ITradeGate
{
    public const string GateName = "EmergencyStop";

    public TradeGateStage Stage => stage;

    public async ValueTask<GateDecision> CheckAsync(TradeAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Action == TradeAction.ClosePerp)
        {
            return GateDecision.Allow;
        }

        var snapshot = await control.GetAsync(cancellationToken);
        if (snapshot.Stop is not { } stop)
        {
            return GateDecision.Allow;
        }

        var since = stop.At.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return GateDecision.Refuse(
            GateName,
            $"Trading is halted by an emergency stop (since {since}: {stop.Reason}). No new orders or swaps until an admin resumes; closing positions still works.");
    }
}
