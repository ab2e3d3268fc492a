using System.Text.Json.Serialization;

namespace VantaBot.Bot.Telegram.Api;

// The subset of the Bot API object model the bot uses. Property names map to snake_case through
// TelegramJson.Options; unknown fields are ignored so newer Bot API versions do not break us.

public sealed record TelegramUpdate
{
    public long UpdateId { get; init; }
    public TelegramMessage? Message { get; init; }
    public TelegramMessage? EditedMessage { get; init; }
    public TelegramCallbackQuery? CallbackQuery { get; init; }
}

public sealed record TelegramMessage
{
    public long MessageId { get; init; }
    public TelegramUser? From { get; init; }
    public required TelegramChat Chat { get; init; }

    /// <summary>Unix time in seconds. The test emulator sends milliseconds; the client normalises it.</summary>
    public long Date { get; init; }
    public string? Text { get; init; }
    public IReadOnlyList<TelegramMessageEntity>? Entities { get; init; }
    public TelegramInlineKeyboardMarkup? ReplyMarkup { get; init; }
}

public sealed record TelegramUser
{
    public long Id { get; init; }
    public bool IsBot { get; init; }
    public string FirstName { get; init; } = "";
    public string? LastName { get; init; }
    public string? Username { get; init; }
    public string? LanguageCode { get; init; }
}

public sealed record TelegramChat
{
    public long Id { get; init; }
    public string Type { get; init; } = "private";
    public string? Title { get; init; }
    public string? Username { get; init; }
    public string? FirstName { get; init; }
}

public sealed record TelegramMessageEntity
{
    public string Type { get; init; } = "";
    public int Offset { get; init; }
    public int Length { get; init; }
}

public sealed record TelegramCallbackQuery
{
    public string Id { get; init; } = "";
    public required TelegramUser From { get; init; }
    public TelegramMessage? Message { get; init; }
    public string? Data { get; init; }
}

public sealed record TelegramInlineKeyboardMarkup
{
    public IReadOnlyList<IReadOnlyList<TelegramInlineKeyboardButton>> InlineKeyboard { get; init; } = [];
}

public sealed record TelegramInlineKeyboardButton
{
    public required string Text { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CallbackData { get; init; }
}

public sealed record TelegramBotCommand(string Command, string Description);

/// <summary>What sendMessage/editMessageText need besides the chat and text.</summary>
public sealed record TelegramSendOptions
{
    public TelegramInlineKeyboardMarkup? ReplyMarkup { get; init; }

    /// <summary>"HTML" or "MarkdownV2"; null sends plain text, which needs no escaping.</summary>
    public string? ParseMode { get; init; }
}
