using VantaBot.Bot.Outbound;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;

namespace VantaBot.Bot.Transports;

/// <summary>
/// Replies through the Bot API by way of the <see cref="OutboundQueue"/>: every call returns as soon as the reply is
/// queued, so a throttled or slow Telegram never holds up an update. Failures are the queue's to retry and log
/// (an expired callback query, for instance, is dropped there).
/// </summary>
public sealed class BotApiReplyChannel(OutboundQueue queue) : IReplyChannel
{
    public Task SendAsync(long chatId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        queue.Enqueue(new OutboundRequest.SendMessage(chatId, text, keyboard));
        return Task.CompletedTask;
    }

    public Task EditAsync(long chatId, long messageId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        queue.Enqueue(new OutboundRequest.EditMessage(chatId, messageId, text, keyboard));
        return Task.CompletedTask;
    }

    // Telegram shows a spinner on the button until this arrives, and gives up on the query after a few seconds.
    public Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken)
    {
        queue.Enqueue(new OutboundRequest.AnswerCallback(callbackQueryId, text), OutboundPriority.High);
        return Task.CompletedTask;
    }

    public Task SendOutcomeAsync(long chatId, string text, string outboxKey, CancellationToken cancellationToken)
    {
        queue.Enqueue(new OutboundRequest.SendMessage(chatId, text, null), OutboundPriority.High, outboxKey);
        return Task.CompletedTask;
    }

    public Task EditOutcomeAsync(long chatId, long messageId, string text, string outboxKey, CancellationToken cancellationToken)
    {
        queue.Enqueue(new OutboundRequest.EditMessage(chatId, messageId, text, null), OutboundPriority.High, outboxKey);
        return Task.CompletedTask;
    }
}
