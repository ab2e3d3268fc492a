using VantaBot.Bot.Telegram.Api;

namespace VantaBot.Bot.Pipeline;

/// <summary>How handlers answer: the Bot API for Telegram transports, stdout for the Console transport.</summary>
public interface IReplyChannel
{
    Task SendAsync(long chatId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken);

    Task EditAsync(long chatId, long messageId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken);

    Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a trade outcome whose notification the trade's own transaction also wrote to the outbox under
    /// <paramref name="outboxKey"/>: once this reply reaches the chat the row counts as delivered, so the trader gets
    /// this one message and the outbox relay stays quiet. Channels without an outbox just send.
    /// </summary>
    Task SendOutcomeAsync(long chatId, string text, string outboxKey, CancellationToken cancellationToken) =>
        SendAsync(chatId, text, null, cancellationToken);

    /// <summary>As <see cref="SendOutcomeAsync"/>, for an outcome shown by editing an existing message (a confirmation card).</summary>
    Task EditOutcomeAsync(long chatId, long messageId, string text, string outboxKey, CancellationToken cancellationToken) =>
        EditAsync(chatId, messageId, text, null, cancellationToken);
}
