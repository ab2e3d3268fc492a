namespace VantaBot.Bot.Telegram.Api;

/// <summary>
/// Our own thin Bot API client (Telegram.Bot does not restore here). Every call throws
/// <see cref="TelegramApiException"/> when the server answers with an error after the client's own
/// bounded retries (429 retry_after, 5xx, network errors) are spent.
/// </summary>
public interface ITelegramBotApi
{
    Task<TelegramUser> GetMeAsync(CancellationToken cancellationToken);

    /// <param name="offset">Last seen update_id + 1 confirms everything before it.</param>
    /// <param name="timeoutSeconds">Long-poll timeout; 0 returns at once.</param>
    Task<IReadOnlyList<TelegramUpdate>> GetUpdatesAsync(long? offset, int limit, int timeoutSeconds, CancellationToken cancellationToken);

    Task<TelegramMessage?> SendMessageAsync(long chatId, string text, TelegramSendOptions? options, CancellationToken cancellationToken);

    Task EditMessageTextAsync(long chatId, long messageId, string text, TelegramSendOptions? options, CancellationToken cancellationToken);

    Task AnswerCallbackQueryAsync(string callbackQueryId, string? text, bool showAlert, CancellationToken cancellationToken);

    Task SetMyCommandsAsync(IReadOnlyList<TelegramBotCommand> commands, CancellationToken cancellationToken);

    Task SetWebhookAsync(Uri url, string secretToken, CancellationToken cancellationToken);

    Task DeleteWebhookAsync(bool dropPendingUpdates, CancellationToken cancellationToken);
}
