using System.Text;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Commands.Arguments;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.Risk;
using VantaBot.Trading.Perps;

namespace VantaBot.Bot.Commands;

/// <summary>What /long and /short share: parse, run the trade path, show the outcome or the confirmation card.</summary>
public sealed class OpenPositionFlow(PerpTradeService trades, PendingConfirmations confirmations, IOptions<RiskOptions> riskOptions)
{
    public const string ConfirmPrefix = "confirm";
    public const string CancelPrefix = "cancel";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, Side side, string usage, CancellationToken cancellationToken)
    {
        if (!OpenOrderArguments.TryParse(context.Command.Arguments, out var args, out var error))
        {
            await context.ReplyAsync($"Cannot read that order: {error.TrimEnd('.')}. Usage: {usage}, e.g. /{context.Command.Name} ETH 100 25x sl=3100.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var order = new OpenPositionOrder(
            context.User.Id, $"update:{context.UpdateId}", args.Pair, side, args.Collateral, args.Leverage, args.TakeProfit, args.StopLoss, IsConfirmed: false);
        var outcome = await trades.OpenAsync(order, cancellationToken);
        if (outcome is OpenPositionOutcome.NeedsConfirmation card)
        {
            var token = confirmations.Add(order);
            await context.ReplyAsync($"⚠️ High leverage — confirm within {riskOptions.Value.ConfirmationTtl.TotalSeconds:0} s.\n{card.Summary}", cancellationToken, ConfirmationButtons(token));
            return UpdateOutcome.Ok;
        }

        if (HasOutboxRow(outcome))
        {
            // This reply delivers the outcome the trade's transaction wrote to the outbox; the relay then stays quiet.
            await context.Replies.SendOutcomeAsync(context.ChatId, Describe(outcome), TradeOutcomeNotices.KeyFor(order.User, order.IdempotencyKey), cancellationToken);
        }
        else
        {
            await context.ReplyAsync(Describe(outcome), cancellationToken);
        }

        return outcome is OpenPositionOutcome.Opened or OpenPositionOutcome.AlreadyHandled ? UpdateOutcome.Ok : UpdateOutcome.Rejected;
    }

    /// <summary>
    /// Final outcomes may have an outbox row (a fill, a venue rejection); marking a key that has none is a no-op.
    /// An unknown outcome is left to the relay: recovery writes its row later.
    /// </summary>
    public static bool HasOutboxRow(OpenPositionOutcome outcome) => outcome is OpenPositionOutcome.Opened or OpenPositionOutcome.Rejected;

    public static string Describe(OpenPositionOutcome outcome)
    {
        switch (outcome)
        {
            case OpenPositionOutcome.Opened opened:
                var p = opened.Position;
                var text = new StringBuilder();
                text.Append("✅ Opened ").Append(p.Side == Side.Long ? "LONG " : "SHORT ").Append(p.Pair).Append(' ').Append(p.Leverage.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)).AppendLine("x (paper)");
                text.Append("Position ").AppendLine(p.Id.ToString());
                text.Append("Entry ").Append(Money.Price(p.EntryPrice)).Append(" · size ").Append(Money.Format(p.Notional)).Append(" USD · collateral ").Append(Money.Format(p.Collateral)).AppendLine(" USDC");
                text.Append("Fee ").Append(Money.Format(p.OpenFee)).Append(" · liquidation ").AppendLine(Money.Price(p.LiquidationPrice));
                text.Append("SL ").Append(Money.Price(p.StopLoss)).Append(p.StopLossSetByBot ? " (set by the bot)" : "");
                text.Append(" · TP ").Append(p.TakeProfit is { } tp ? Money.Price(tp) : "none");
                foreach (var note in opened.Notes)
                {
                    text.AppendLine().Append("ℹ️ ").Append(note);
                }

                return text.ToString();
            case OpenPositionOutcome.Rejected rejected:
                return $"❌ Not opened — {rejected.Rule}: {rejected.Reason}";
            default:
                return outcome.Message;
        }
    }

    private static TelegramInlineKeyboardMarkup ConfirmationButtons(string token) => new()
    {
        InlineKeyboard =
        [[
            new TelegramInlineKeyboardButton { Text = "✅ Confirm", CallbackData = $"{ConfirmPrefix}:{token}" },
            new TelegramInlineKeyboardButton { Text = "✖ Cancel", CallbackData = $"{CancelPrefix}:{token}" },
        ]],
    };
}
