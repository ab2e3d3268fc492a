using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;

namespace VantaBot.Bench.Load;

/// <summary>
/// One update's replies, kept in memory instead of sent: the harness measures the bot, not Telegram.
/// </summary>
internal sealed class RecordingReplies : IReplyChannel
{
    private string? _first;

    public string Outcome => ReplyText.Outcome(_first);

    /// <summary>The 12-character id from an "Opened" reply's "Position …" line.</summary>
    public string? OpenedPositionId => ReplyText.OpenedPositionId(_first);

    public Task SendAsync(long chatId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        _first ??= text;
        return Task.CompletedTask;
    }

    public Task EditAsync(long chatId, long messageId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        _first ??= text;
        return Task.CompletedTask;
    }

    public Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken) => Task.CompletedTask;
}
