namespace VantaBot.Trading.Gates;

/// <summary>Runs the registered <see cref="ITradeGate"/>s of one stage in order; the first refusal wins.</summary>
public sealed class TradeGates(IEnumerable<ITradeGate> gates)
{
    private readonly ITradeGate[] _gates = gates.ToArray();

    public async ValueTask<GateDecision> CheckAsync(TradeGateStage stage, TradeAttempt attempt, CancellationToken cancellationToken)
    {
        foreach (var gate in _gates)
        {
            if (gate.Stage != stage)
            {
                continue;
            }

            var decision = await gate.CheckAsync(attempt, cancellationToken);
            if (!decision.Allowed)
            {
                return decision;
            }
        }

        return GateDecision.Allow;
    }
}
