using VantaBot.Trading.Users;

namespace VantaBot.Bot.Pipeline;

/// <summary>Everything a command handler may know about the update it serves.</summary>
public sealed record CommandContext(
    BotUser User,
    long ChatId,
    long UpdateId,
    CommandLine Command,
    string TraceId,
    IReplyChannel Replies)
{
    public Task ReplyAsync(string text, CancellationToken cancellationToken, Telegram.Api.TelegramInlineKeyboardMarkup? keyboard = null) =>
        Replies.SendAsync(ChatId, text, keyboard, cancellationToken);
}

/// <summary>An inline-button press routed to the handler that owns its data prefix.</summary>
public sealed record CallbackContext(
    BotUser User,
    long ChatId,
    long MessageId,
    string CallbackQueryId,
    string Payload,
    string TraceId,
    IReplyChannel Replies);
