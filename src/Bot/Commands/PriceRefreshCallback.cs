using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

/// <summary>The "Refresh" button under a /price reply: re-reads the price and edits the message in place.</summary>
public sealed class PriceRefreshCallback(IPriceFeed feed, PriceFormatter formatter) : ICallbackHandler
{
    public string Prefix => PriceFormatter.RefreshPrefix;

    public Role MinimumRole => Role.Viewer;

    public async Task<UpdateOutcome> HandleAsync(CallbackContext context, CancellationToken cancellationToken)
    {
        if (!Pair.TryParse(context.Payload, out var pair) || !feed.SupportedPairs.Contains(pair))
        {
            await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, "This button names no known pair.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var reading = await feed.GetPriceAsync(pair, cancellationToken);
        if (reading is null)
        {
            await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, $"No price for {pair} right now.", cancellationToken);
            return UpdateOutcome.Rejected;
        }

        await context.Replies.EditAsync(context.ChatId, context.MessageId, formatter.Format(reading), PriceFormatter.RefreshButton(pair), cancellationToken);
        await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, "Updated", cancellationToken);
        return UpdateOutcome.Ok;
    }
}
