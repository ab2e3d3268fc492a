using Microsoft.Extensions.Logging;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;

namespace VantaBot.Bot.Transports;

/// <summary>Replies through the Bot API. A failed answerCallbackQuery (an expired query) is logged, not thrown.</summary>
public sealed class BotApiReplyChannel(ITelegramBotApi api, ILogger<BotApiReplyChannel> logger) : IReplyChannel
{
    public Task SendAsync(long chatId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken) =>
        api.SendMessageAsync(chatId, text, new TelegramSendOptions { ReplyMarkup = keyboard }, cancellationToken);

    public Task EditAsync(long chatId, long messageId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken) =>
        api.EditMessageTextAsync(chatId, messageId, text, new TelegramSendOptions { ReplyMarkup = keyboard }, cancellationToken);

    public async Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken)
    {
        try
        {
            await api.AnswerCallbackQueryAsync(callbackQueryId, text, showAlert: false, cancellationToken);
        }
        catch (TelegramApiException ex)
        {
            // Queries older than a few seconds cannot be answered; the user still sees the edited message.
            logger.LogWarning("answerCallbackQuery failed: {Code} {Description}", ex.ErrorCode, ex.Description);
        }
    }
}
