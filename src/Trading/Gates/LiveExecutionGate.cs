using VantaBot.Trading.Execution;

namespace VantaBot.Trading.Gates;

/// <summary>
/// Refuses an order that would run LIVE while no live venue can execute it: a LIVE order must never run on
/// paper silently. Closes follow the venue their position lives on, so they are not judged by today's mode.
/// </summary>
public sealed class LiveExecutionGate(IExecutionModeResolver resolver, ILiveVenues liveVenues) : ITradeGate
{
    public const string GateName = "ExecutionMode";

    public TradeGateStage Stage => TradeGateStage.BeforeRisk;

    public async ValueTask<GateDecision> CheckAsync(TradeAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Action == TradeAction.ClosePerp)
        {
            return GateDecision.Allow;
        }

        var mode = await resolver.ResolveAsync(attempt.User, cancellationToken);
        if (!mode.IsLive || liveVenues.CanExecute(attempt.Action))
        {
            return GateDecision.Allow;
        }

        return GateDecision.Refuse(
            GateName,
            "This order would run LIVE with real funds, but no live venue is connected on this deployment; nothing was placed. Send /live off to trade on paper.");
    }
}
