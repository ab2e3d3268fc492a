using VantaBot.Bot.Commands;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Swaps;

/// <summary>"Swap" on a swap card: executes the previewed swap once (re-quoting if the card's quote is old).</summary>
public sealed class SwapConfirmCallback(SwapCards cards, SwapService swaps) : ICallbackHandler
{
    public string Prefix => SwapCommand.ConfirmPrefix;

    public Role MinimumRole => Role.Trader;

    public bool IsTradingAction => true;

    public async Task<UpdateOutcome> HandleAsync(CallbackContext context, CancellationToken cancellationToken)
    {
        var lookup = cards.Take(context.Payload, context.User.Id);
        if (lookup.Order is not { } card)
        {
            await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, lookup.Message, cancellationToken);
            if (lookup.Problem == ConfirmationProblem.Expired)
            {
                await context.Replies.EditAsync(context.ChatId, context.MessageId, $"✖ {lookup.Message}", null, cancellationToken);
            }

            return UpdateOutcome.Rejected;
        }

        // Answer the tap first: a LIVE swap waits for its receipt, longer than Telegram lets a button spin.
        await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, "Swapping…", cancellationToken);

        // Keyed by the card, so a double tap that slips past the one-shot token still swaps once.
        var order = card.Preview.Order with { IdempotencyKey = $"swap:{context.Payload}" };
        var outcome = await swaps.ExecuteAsync(card.Preview with { Order = order }, card.WalletAddress, cancellationToken);
        var text = SwapFormatter.Describe(outcome);
        if (outcome is SwapOutcome.Swapped or SwapOutcome.Rejected)
        {
            // Marks the notice the swap's transaction wrote as delivered by this edit; a refusal before the write has none.
            await context.Replies.EditOutcomeAsync(context.ChatId, context.MessageId, text, TradeOutcomeNotices.KeyFor(order.User, order.IdempotencyKey), cancellationToken);
        }
        else
        {
            await context.Replies.EditAsync(context.ChatId, context.MessageId, text, null, cancellationToken);
        }

        return outcome is SwapOutcome.Swapped ? UpdateOutcome.Ok : UpdateOutcome.Rejected;
    }
}
