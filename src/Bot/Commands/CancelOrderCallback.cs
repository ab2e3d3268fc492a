using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

/// <summary>"Cancel" on a high-leverage card.</summary>
public sealed class CancelOrderCallback(PendingConfirmations confirmations) : ICallbackHandler
{
    public string Prefix => OpenPositionFlow.CancelPrefix;

    public Role MinimumRole => Role.Trader;

    public async Task<UpdateOutcome> HandleAsync(CallbackContext context, CancellationToken cancellationToken)
    {
        var result = confirmations.Cancel(context.Payload, context.User.Id);
        var (toast, cardText) = result switch
        {
            CancelResult.Cancelled => ("Cancelled", "✖ Cancelled; nothing was ordered."),
            CancelResult.Expired => ("This card has expired; nothing was ordered.", "✖ This card has expired; nothing was ordered."),

            // The card shows what the first tap did (e.g. the opened position); it stays.
            CancelResult.AlreadyUsed => ("This card was already used; cancelling it changes nothing.", null),
            _ => ("Only the trader who placed this order can cancel it.", null),
        };

        await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, toast, cancellationToken);
        if (cardText is not null)
        {
            await context.Replies.EditAsync(context.ChatId, context.MessageId, cardText, null, cancellationToken);
        }

        return result == CancelResult.Cancelled ? UpdateOutcome.Ok : UpdateOutcome.Rejected;
    }
}
