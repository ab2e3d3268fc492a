using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

public sealed class PriceCommand(IPriceFeed feed, PriceFormatter formatter) : ICommandHandler, ICommandMetadata
{
    public static string Command => "price";

    public static Role MinimumRole => Role.Viewer;

    public static string Usage => "/price <PAIR>";

    public static string Description => "Current price, its source and age, e.g. /price ETH";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var supported = string.Join(", ", feed.SupportedPairs.Select(p => p.Base));
        if (context.Command.Arguments.Count != 1)
        {
            await context.ReplyAsync($"Usage: {Usage}, e.g. /price ETH or /price ETH/USD. Pairs: {supported}.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var argument = context.Command.Arguments[0];
        if (!Pair.TryParse(argument, out var pair))
        {
            await context.ReplyAsync($"'{Shorten(argument)}' is not a pair. Usage: {Usage}, e.g. /price ETH. Pairs: {supported}.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        if (!feed.SupportedPairs.Contains(pair))
        {
            await context.ReplyAsync($"No price source covers {pair}. Pairs: {supported}.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var reading = await feed.GetPriceAsync(pair, cancellationToken);
        if (reading is null)
        {
            await context.ReplyAsync($"No price for {pair} yet: every source is unavailable. Try again shortly.", cancellationToken);
            return UpdateOutcome.Rejected;
        }

        await context.ReplyAsync(formatter.Format(reading), cancellationToken, PriceFormatter.RefreshButton(pair));
        return UpdateOutcome.Ok;
    }

    // Echoing hostile input back in full would let anyone make the bot post arbitrary long text.
    private static string Shorten(string text) => text.Length <= 24 ? text : text[..24] + "…";
}
