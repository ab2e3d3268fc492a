namespace VantaBot.Trading.Gates;

/// <summary>A gate's answer: let the action through, or refuse it naming the gate and a reason the user can act on.</summary>
public sealed record GateDecision
{
    private GateDecision(string? gate, string? reason)
    {
        Gate = gate;
        Reason = reason;
    }

    public static GateDecision Allow { get; } = new(null, null);

    /// <summary>The gate that refused (e.g. "EmergencyStop", "RateLimit:PositionOpens"); null when allowed.</summary>
    public string? Gate { get; }

    /// <summary>What the user is told, e.g. which limit and when it frees up.</summary>
    public string? Reason { get; }

    public bool Allowed => Gate is null;

    public static GateDecision Refuse(string gate, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gate);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new GateDecision(gate, reason);
    }
}
