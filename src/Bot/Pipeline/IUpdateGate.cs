using VantaBot.Trading.Gates;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Pipeline;

/// <summary>
/// What a pipeline gate knows about an update: who sent it (already identified and registered), which command
/// or button family it addresses, and whether it is a trading action (trading fails closed; reads stay open).
/// </summary>
public sealed record UpdateGateContext(BotUser User, string Command, bool IsTradingAction, bool IsCallback);

/// <summary>
/// A step every recognised command and button press passes after the user is identified and before the role
/// check and the handler run (maintenance mode, message rate limits). Gates are registered in DI and run in
/// registration order; the first refusal is sent to the user and the handler never runs.
/// </summary>
public interface IUpdateGate
{
    ValueTask<GateDecision> CheckAsync(UpdateGateContext context, CancellationToken cancellationToken);
}
