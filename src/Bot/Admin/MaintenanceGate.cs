using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Control;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin;

/// <summary>While maintenance is on, users below Admin get its message instead of an answer; admins keep full access.</summary>
public sealed class MaintenanceGate(ISystemControl control) : IUpdateGate
{
    public const string GateName = "Maintenance";

    public async ValueTask<GateDecision> CheckAsync(UpdateGateContext context, CancellationToken cancellationToken)
    {
        if (context.User.Role >= Role.Admin)
        {
            return GateDecision.Allow;
        }

        var snapshot = await control.GetAsync(cancellationToken);
        return snapshot.Maintenance is { } maintenance ? GateDecision.Refuse(GateName, maintenance.Message) : GateDecision.Allow;
    }
}
