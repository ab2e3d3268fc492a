using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

public sealed class LongCommand(OpenPositionFlow flow) : ICommandHandler, ICommandMetadata
{
    public static string Command => "long";

    public static Role MinimumRole => Role.Trader;

    public static bool IsTradingAction => true;

    public static string Usage => "/long <PAIR> <COLLATERAL_USDC> <LEV>x [tp=<price>] [sl=<price>]";

    public static string Description => "Open a long perpetual position, e.g. /long ETH 100 25x";

    public Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        flow.HandleAsync(context, Side.Long, Usage, cancellationToken);
}
