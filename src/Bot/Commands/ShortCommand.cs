using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

public sealed class ShortCommand(OpenPositionFlow flow) : ICommandHandler, ICommandMetadata
{
    public static string Command => "short";

    public static Role MinimumRole => Role.Trader;

    public static bool IsTradingAction => true;

    public static string Usage => "/short <PAIR> <COLLATERAL_USDC> <LEV>x [tp=<price>] [sl=<price>]";

    public static string Description => "Open a short perpetual position, e.g. /short ETH 100 25x";

    public Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        flow.HandleAsync(context, Side.Short, Usage, cancellationToken);
}
