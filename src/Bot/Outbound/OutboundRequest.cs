using VantaBot.Bot.Telegram.Api;

namespace VantaBot.Bot.Outbound;

/// <summary>Which lane a message waits in: priority chats (admin alerts, trade outcomes) are served first.</summary>
public enum OutboundPriority
{
    Normal,
    High,
}

/// <summary>One Bot API call the queue makes on the bot's behalf. Chat-bound requests are paced per chat.</summary>
public abstract record OutboundRequest
{
    /// <summary>The chat whose pacing applies; null for calls that post nothing into a chat.</summary>
    public abstract long? ChatId { get; }

    public sealed record SendMessage(long Chat, string Text, TelegramInlineKeyboardMarkup? Keyboard) : OutboundRequest
    {
        public override long? ChatId => Chat;
    }

    public sealed record EditMessage(long Chat, long MessageId, string Text, TelegramInlineKeyboardMarkup? Keyboard) : OutboundRequest
    {
        public override long? ChatId => Chat;
    }

    public sealed record AnswerCallback(string CallbackQueryId, string? Text) : OutboundRequest
    {
        public override long? ChatId => null;
    }
}

/// <summary>Makes one attempt of a request; throws <see cref="TelegramApiException"/> on failure (the queue decides on retries).</summary>
public interface IOutboundSender
{
    Task SendAsync(OutboundRequest request, CancellationToken cancellationToken);
}

/// <summary>Tells the outbox that a message carrying its key reached Telegram.</summary>
public interface IOutboxAcknowledger
{
    Task AcknowledgeAsync(string outboxKey, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IOutboundSender"/> over a Bot API client built with no retries of its own, so 429 retry_after and
/// backoff are decided once, by the queue, which can serve other chats meanwhile.
/// </summary>
public sealed class TelegramOutboundSender(ITelegramBotApi api) : IOutboundSender
{
    public Task SendAsync(OutboundRequest request, CancellationToken cancellationToken) => request switch
    {
        OutboundRequest.SendMessage send => api.SendMessageAsync(send.Chat, send.Text, new TelegramSendOptions { ReplyMarkup = send.Keyboard }, cancellationToken),
        OutboundRequest.EditMessage edit => api.EditMessageTextAsync(edit.Chat, edit.MessageId, edit.Text, new TelegramSendOptions { ReplyMarkup = edit.Keyboard }, cancellationToken),
        OutboundRequest.AnswerCallback answer => api.AnswerCallbackQueryAsync(answer.CallbackQueryId, answer.Text, showAlert: false, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.GetType().Name, "Unknown outbound request."),
    };
}
