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
        var cancelled = confirmations.Cancel(context.Payload, context.User.Id);
        var text = cancelled ? "✖ Cancelled; nothing was ordered." : "This card has expired or was already used.";
        await context.Replies.EditAsync(context.ChatId, context.MessageId, text, null, cancellationToken);
        await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, cancelled ? "Cancelled" : null, cancellationToken);
        return UpdateOutcome.Ok;
    }
}
