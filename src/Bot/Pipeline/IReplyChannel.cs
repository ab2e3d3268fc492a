using VantaBot.Bot.Telegram.Api;

namespace VantaBot.Bot.Pipeline;

/// <summary>How handlers answer: the Bot API for Telegram transports, stdout for the Console transport.</summary>
public interface IReplyChannel
{
    Task SendAsync(long chatId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken);

    Task EditAsync(long chatId, long messageId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken);

    Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken);
}
