using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

/// <summary>"Stay DRY" on the LIVE confirmation card.</summary>
public sealed class GoLiveCancelCallback(LiveSwitchConfirmations confirmations, IAuditLog audit) : ICallbackHandler
{
    public string Prefix => ExecutionModeCommand.CancelPrefix;

    public Role MinimumRole => Role.SuperAdmin;

    public async Task<UpdateOutcome> HandleAsync(CallbackContext context, CancellationToken cancellationToken)
    {
        if (!confirmations.Cancel(context.Payload, context.User.Id))
        {
            await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, "Not your card, or it has expired; nothing changed.", cancellationToken);
            return UpdateOutcome.Rejected;
        }

        await context.Replies.EditAsync(context.ChatId, context.MessageId, "✖ Cancelled: the execution mode was not changed.", null, cancellationToken);
        await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, "Cancelled", cancellationToken);
        await AuditedCommand.AppendAsync(audit, context.User, "execution_mode_cancel", "LIVE", "ok: cancelled", context.TraceId, cancellationToken);
        return UpdateOutcome.Ok;
    }
}
