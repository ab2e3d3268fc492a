using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

public sealed class TakeProfitCommand(ProtectionFlow flow, PositionProtectionService protection) : ICommandHandler, ICommandMetadata
{
    public static string Command => "tp";

    public static Role MinimumRole => Role.Trader;

    public static bool IsTradingAction => true;

    public static string Usage => "/tp <POSITION_ID> <PRICE|off>";

    public static string Description => "Set or remove a position's take-profit, e.g. /tp 3f2a9c01b7de 3600";

    public Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        flow.HandleAsync(
            context,
            Usage,
            allowOff: true,
            (position, price, ct) => protection.SetTakeProfitAsync(context.User.Id, position.Id, price, ct),
            cancellationToken);
}
