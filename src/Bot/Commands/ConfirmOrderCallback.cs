using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

/// <summary>"Confirm" on a high-leverage card: re-runs the whole trade path with fresh prices, once.</summary>
public sealed class ConfirmOrderCallback(PendingConfirmations confirmations, PerpTradeService trades) : ICallbackHandler
{
    public string Prefix => OpenPositionFlow.ConfirmPrefix;

    public Role MinimumRole => Role.Trader;

    public bool IsTradingAction => true;

    public async Task<UpdateOutcome> HandleAsync(CallbackContext context, CancellationToken cancellationToken)
    {
        var lookup = confirmations.Take(context.Payload, context.User.Id);
        if (lookup.Order is not { } order)
        {
            await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, lookup.Message, cancellationToken);
            if (lookup.Problem == ConfirmationProblem.Expired)
            {
                await context.Replies.EditAsync(context.ChatId, context.MessageId, $"✖ {lookup.Message}", null, cancellationToken);
            }

            return UpdateOutcome.Rejected;
        }

        // Keyed by the card, so a double tap that slips past the one-shot token still opens once.
        var confirmed = order with { IsConfirmed = true, IdempotencyKey = $"confirm:{context.Payload}" };
        var outcome = await trades.OpenAsync(confirmed, cancellationToken);
        if (OpenPositionFlow.HasOutboxRow(outcome))
        {
            var key = TradeOutcomeNotices.KeyFor(confirmed.User, confirmed.IdempotencyKey);
            await context.Replies.EditOutcomeAsync(context.ChatId, context.MessageId, OpenPositionFlow.Describe(outcome), key, cancellationToken);
        }
        else
        {
            await context.Replies.EditAsync(context.ChatId, context.MessageId, OpenPositionFlow.Describe(outcome), null, cancellationToken);
        }

        await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, outcome is OpenPositionOutcome.Opened ? "Opened" : "Not opened", cancellationToken);
        return outcome is OpenPositionOutcome.Opened ? UpdateOutcome.Ok : UpdateOutcome.Rejected;
    }
}
