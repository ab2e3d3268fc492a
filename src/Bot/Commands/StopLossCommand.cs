using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

/// <summary>/sl moves the stop-loss; every position keeps one, so there is no "off".</summary>
public sealed class StopLossCommand(ProtectionFlow flow, PositionProtectionService protection) : ICommandHandler, ICommandMetadata
{
    public static string Command => "sl";

    public static Role MinimumRole => Role.Trader;

    public static bool IsTradingAction => true;

    public static string Usage => "/sl <POSITION_ID> <PRICE>";

    public static string Description => "Move a position's stop-loss, e.g. /sl 3f2a9c01b7de 3100";

    public Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        flow.HandleAsync(
            context,
            Usage,
            allowOff: false,
            (position, price, ct) => protection.SetStopLossAsync(context.User.Id, position.Id, price!.Value, ct),
            cancellationToken);
}
