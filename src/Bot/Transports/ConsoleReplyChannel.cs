using System.Globalization;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;

namespace VantaBot.Bot.Transports;

/// <summary>Prints the bot's replies to the terminal, numbering messages so edits and buttons can refer to them.</summary>
public sealed class ConsoleReplyChannel(ConsoleIo io) : IReplyChannel
{
    private readonly Lock _gate = new();
    private long _nextMessageId = 1;

    /// <summary>The id of the last message the bot printed; a button press in the console refers to it.</summary>
    public long LastMessageId { get; private set; }

    public Task SendAsync(long chatId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            LastMessageId = _nextMessageId++;
            Write($"bot [#{LastMessageId.ToString(CultureInfo.InvariantCulture)}]", text, keyboard);
        }

        return io.Output.FlushAsync(cancellationToken);
    }

    public Task EditAsync(long chatId, long messageId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Write($"bot [#{messageId.ToString(CultureInfo.InvariantCulture)} edited]", text, keyboard);
        }

        return io.Output.FlushAsync(cancellationToken);
    }

    public Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(text))
        {
            lock (_gate)
            {
                io.Output.WriteLine($"bot (notice): {text}");
            }
        }

        return io.Output.FlushAsync(cancellationToken);
    }

    private void Write(string header, string text, TelegramInlineKeyboardMarkup? keyboard)
    {
        io.Output.WriteLine($"{header}:");
        foreach (var line in text.Split('\n'))
        {
            io.Output.WriteLine("  " + line);
        }

        foreach (var button in keyboard?.InlineKeyboard.SelectMany(row => row) ?? [])
        {
            if (button.CallbackData is not null)
            {
                io.Output.WriteLine($"  [{button.Text}] press it by sending: !{button.CallbackData}");
            }
        }

        io.Output.WriteLine();
    }
}
