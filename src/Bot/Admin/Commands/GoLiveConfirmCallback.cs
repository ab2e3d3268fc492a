using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Pipeline;
using VantaBot.Risk;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Control;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

/// <summary>"Switch to LIVE" on the card /execution_mode LIVE showed: the second, expiring confirmation.</summary>
public sealed class GoLiveConfirmCallback(
    LiveSwitchConfirmations confirmations,
    IExecutionModeWriter writer,
    AdminNotifier notifier,
    IOptions<TradingOptions> trading,
    IAuditLog audit) : ICallbackHandler
{
    public string Prefix => ExecutionModeCommand.ConfirmPrefix;

    public Role MinimumRole => Role.SuperAdmin;

    public async Task<UpdateOutcome> HandleAsync(CallbackContext context, CancellationToken cancellationToken)
    {
        var result = confirmations.Take(context.Payload, context.User.Id);
        switch (result)
        {
            case LiveConfirmation.NotOwner:
                await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, "Only the super-admin who asked for LIVE can confirm it.", cancellationToken);
                await AuditAsync(context, "refused: not the owner of the card", cancellationToken);
                return UpdateOutcome.Rejected;

            case LiveConfirmation.Expired:
                const string expired = "✖ This LIVE confirmation expired or was already used; the mode was not changed by it. Ask again with /execution_mode LIVE.";
                await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, "Expired; nothing changed.", cancellationToken);
                await context.Replies.EditAsync(context.ChatId, context.MessageId, expired, null, cancellationToken);
                await AuditAsync(context, "refused: confirmation expired or used", cancellationToken);
                return UpdateOutcome.Rejected;
        }

        // The deployment's consent is checked again at the moment of the switch, not only when it was asked.
        if (!trading.Value.AllowLive)
        {
            await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, "Trading__AllowLive=false: the mode stays DRY.", cancellationToken);
            await AuditAsync(context, "refused: Trading__AllowLive=false", cancellationToken);
            return UpdateOutcome.Rejected;
        }

        await writer.SetAsync(ExecutionMode.Live, cancellationToken);
        await AuditAsync(context, "ok: DRY -> LIVE", cancellationToken);
        await context.Replies.EditAsync(
            context.ChatId,
            context.MessageId,
            "🔴 Execution mode is now LIVE. Orders of traders who opted in with /live on (and have a wallet) move real funds; everyone else stays on paper. Back with /execution_mode DRY.",
            null,
            cancellationToken);
        await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, "LIVE", cancellationToken);
        await notifier.NotifyAdminsAsync(context.Replies, $"🔴 Execution mode set to LIVE by {AdminText.Actor(context.User)}.", context.User.Id, cancellationToken);
        return UpdateOutcome.Ok;
    }

    private Task AuditAsync(CallbackContext context, string outcome, CancellationToken cancellationToken) =>
        AuditedCommand.AppendAsync(audit, context.User, "execution_mode_confirm", "LIVE", outcome, context.TraceId, cancellationToken);
}
