using System.Text.RegularExpressions;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;

namespace VantaBot.Bench.Load;

/// <summary>
/// One update's replies, kept in memory instead of sent: the harness measures the bot, not Telegram. The outcome is
/// read from the reply text so refusals and errors are counted, never mistaken for throughput.
/// </summary>
internal sealed partial class RecordingReplies : IReplyChannel
{
    private string? _first;

    public string Outcome => _first switch
    {
        null => "silent",
        var t when t.StartsWith("✅ Opened", StringComparison.Ordinal) => "opened",
        var t when t.StartsWith("✅ Closed", StringComparison.Ordinal) || t.StartsWith("✅ Partly", StringComparison.Ordinal) => "closed",
        var t when t.StartsWith('⏸') => "refused",
        var t when t.StartsWith('❌') => "rejected",
        var t when t.StartsWith("Something went wrong", StringComparison.Ordinal) => "failed",
        _ => "replied",
    };

    /// <summary>The 12-character id from an "Opened" reply's "Position …" line.</summary>
    public string? OpenedPositionId => _first is { } t && Outcome == "opened" && PositionLine().Match(t) is { Success: true } m ? m.Groups[1].Value : null;

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

    [GeneratedRegex(@"^Position (\S+)", RegexOptions.Multiline)]
    private static partial Regex PositionLine();
}
