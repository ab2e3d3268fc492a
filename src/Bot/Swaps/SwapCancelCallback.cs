using VantaBot.Bot.Commands;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Swaps;

/// <summary>"Cancel" on a swap card.</summary>
public sealed class SwapCancelCallback(SwapCards cards) : ICallbackHandler
{
    public string Prefix => SwapCommand.CancelPrefix;

    public Role MinimumRole => Role.Trader;

    public async Task<UpdateOutcome> HandleAsync(CallbackContext context, CancellationToken cancellationToken)
    {
        var result = cards.Cancel(context.Payload, context.User.Id);
        var (toast, cardText) = result switch
        {
            CancelResult.Cancelled => ("Cancelled", "✖ Swap cancelled; nothing was sent."),
            CancelResult.Expired => ("This card has expired; nothing was sent.", "✖ This swap card has expired; nothing was sent."),
            CancelResult.AlreadyUsed => ("This card was already used; cancelling it changes nothing.", null),
            _ => ("Only the trader who asked for this swap can cancel it.", null),
        };

        await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, toast, cancellationToken);
        if (cardText is not null)
        {
            await context.Replies.EditAsync(context.ChatId, context.MessageId, cardText, null, cancellationToken);
        }

        return result == CancelResult.Cancelled ? UpdateOutcome.Ok : UpdateOutcome.Rejected;
    }
}
