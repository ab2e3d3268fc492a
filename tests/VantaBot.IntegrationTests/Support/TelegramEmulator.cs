using System.Net.Http.Json;
using System.Text.Json;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Telegram.Api;

namespace VantaBot.IntegrationTests.Support;

/// <summary>A message the bot sent, as the emulator's user-side <c>POST /getUpdates</c> reports it.</summary>
public sealed record EmulatorBotMessage
{
    public long MessageId { get; init; }
    public long UpdateId { get; init; }
    public long ChatId { get; init; }
    public string? Text { get; init; }
    public string? ParseMode { get; init; }
    public TelegramInlineKeyboardMarkup? ReplyMarkup { get; init; }

    /// <summary>Unix milliseconds when the emulator stored it.</summary>
    public long Time { get; init; }

    /// <summary>The raw stored message (whatever the bot posted, merged with later edits).</summary>
    public JsonElement Raw { get; init; }

    public IEnumerable<TelegramInlineKeyboardButton> Buttons => ReplyMarkup?.InlineKeyboard.SelectMany(row => row) ?? [];
}

/// <summary>
/// The user side of the telegram-test-api emulator (npm <c>telegram-test-api</c>, started by
/// tests/peers/telegram-emulator.js) for one bot token: post user messages, commands and button presses the bot
/// will receive through getUpdates (or its webhook), and read what the bot sent to a chat.
/// Use a fresh token per test (<see cref="NewBotToken"/>) so tests never see each other's messages.
/// </summary>
public sealed class TelegramEmulator : IDisposable
{
    /// <summary>Environment variable holding the emulator base URL, e.g. http://127.0.0.1:9000.</summary>
    public const string UrlVariable = "VANTABOT_TEST_TELEGRAM_URL";

    private static readonly JsonSerializerOptions UserSideJson = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <param name="timeout">Of the client this emulator creates (when <paramref name="httpClient"/> is null); 15 s by default.</param>
    public TelegramEmulator(Uri baseUrl, string botToken, HttpClient? httpClient = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(botToken);
        BaseUrl = baseUrl;
        BotToken = botToken;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(15) };
    }

    public Uri BaseUrl { get; }

    public string BotToken { get; }

    /// <summary>The emulator URL from <see cref="UrlVariable"/>; fails the test with instructions when it is unset.</summary>
    public static Uri BaseUrlFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(UrlVariable);
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            Assert.Fail(
                $"{UrlVariable} is not set (or not an absolute URL). These tests need the Telegram Bot API emulator: " +
                "run `cd tests/peers && npm ci && node telegram-emulator.js 9123 &` and set " +
                $"{UrlVariable}=http://127.0.0.1:9123.");
            throw new InvalidOperationException("unreachable");
        }

        return uri;
    }

    /// <summary>A fresh, well-formed bot token no other test uses.</summary>
    public static string NewBotToken() => "12345:" + Guid.NewGuid().ToString("N");

    /// <summary>An emulator for <see cref="BaseUrlFromEnvironment"/> and a fresh token.</summary>
    public static TelegramEmulator FromEnvironment() => new(BaseUrlFromEnvironment(), NewBotToken());

    /// <summary>Options pointing the bot's Bot API client at this emulator with this token.</summary>
    public TelegramOptions CreateBotOptions() => new()
    {
        BotToken = BotToken,
        ApiBaseUrl = BaseUrl,
        Transport = TelegramTransportKind.Polling,
        PollingTimeoutSeconds = 0,
        PollingIdleDelay = TimeSpan.FromMilliseconds(100),
        RequestTimeout = TimeSpan.FromSeconds(10),
        MaxRetries = 2,
        MaxRetryAfter = TimeSpan.FromSeconds(5),
    };

    /// <summary>A user writes <paramref name="text"/> to the bot in their private chat (chat id = user id unless given).</summary>
    public Task SendUserMessage(long userId, string text, long? chatId = null, string firstName = "Tester", CancellationToken cancellationToken = default) =>
        PostOkAsync("sendMessage", UserMessage(userId, text, chatId, firstName, entities: null), cancellationToken);

    /// <summary>
    /// A user sends a command such as "/start" or "/buy 10 ETH": the leading "/word" gets a bot_command entity.
    /// </summary>
    public Task SendUserCommand(long userId, string commandText, long? chatId = null, string firstName = "Tester", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(commandText);
        if (commandText[0] != '/')
        {
            throw new ArgumentException("A command starts with '/'.", nameof(commandText));
        }

        var length = commandText.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? space : commandText.Length;
        object[] entities = [new { offset = 0, length, type = "bot_command" }];
        return PostOkAsync("sendCommand", UserMessage(userId, commandText, chatId, firstName, entities), cancellationToken);
    }

    /// <summary>A user presses an inline button carrying <paramref name="data"/> under the bot's message <paramref name="messageId"/>.</summary>
    public Task SendUserCallback(long userId, long messageId, string data, long? chatId = null, string firstName = "Tester", CancellationToken cancellationToken = default)
    {
        var chat = chatId ?? userId;
        var body = new
        {
            botToken = BotToken,
            from = new { id = userId, is_bot = false, first_name = firstName },
            message = new
            {
                message_id = messageId,
                chat = new { id = chat, type = "private", first_name = firstName },
                date = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            },
            data,
        };
        return PostOkAsync("sendCallback", body, cancellationToken);
    }

    /// <summary>
    /// The bot's messages to <paramref name="chatId"/> not yet returned by an earlier call (the emulator marks them read).
    /// </summary>
    public async Task<IReadOnlyList<EmulatorBotMessage>> GetBotMessagesForChat(long chatId, CancellationToken cancellationToken = default)
    {
        var root = await PostAsync("getUpdates", new { token = BotToken, chatId }, cancellationToken);
        var result = root.GetProperty("result");
        var messages = new List<EmulatorBotMessage>(result.GetArrayLength());
        foreach (var item in result.EnumerateArray())
        {
            var message = item.GetProperty("message");
            messages.Add(new EmulatorBotMessage
            {
                MessageId = item.GetProperty("messageId").GetInt64(),
                UpdateId = item.GetProperty("updateId").GetInt64(),
                Time = item.TryGetProperty("time", out var time) ? time.GetInt64() : 0,
                ChatId = ReadInt64(message, "chat_id") ?? chatId,
                Text = ReadString(message, "text"),
                ParseMode = ReadString(message, "parse_mode"),
                ReplyMarkup = ReadMarkup(message),
                Raw = message.Clone(),
            });
        }

        return messages;
    }

    /// <summary>
    /// The whole conversation of this bot as the emulator holds it, oldest first, one line per update: "user: …"
    /// or "bot: …" with the message text as last edited (for failure messages: what did the trader see?).
    /// </summary>
    public async Task<IReadOnlyList<string>> GetConversation(CancellationToken cancellationToken = default)
    {
        var root = await PostAsync("getUpdatesHistory", new { token = BotToken }, cancellationToken);
        var lines = new List<string>();
        foreach (var item in root.GetProperty("result").EnumerateArray())
        {
            if (item.TryGetProperty("callbackQuery", out var callback))
            {
                lines.Add($"user presses: {ReadString(callback, "data")}");
            }
            else if (item.TryGetProperty("message", out var message))
            {
                var who = message.TryGetProperty("from", out _) ? "user" : "bot";
                lines.Add($"{who}: {ReadString(message, "text")}");
            }
        }

        return lines;
    }

    /// <summary>
    /// Polls <see cref="GetBotMessagesForChat"/> until at least <paramref name="count"/> messages arrived or
    /// <paramref name="timeout"/> passed; returns everything collected (possibly fewer — assert on it).
    /// </summary>
    public async Task<IReadOnlyList<EmulatorBotMessage>> WaitForBotMessages(long chatId, int count = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        var collected = new List<EmulatorBotMessage>();
        while (true)
        {
            collected.AddRange(await GetBotMessagesForChat(chatId, cancellationToken));
            if (collected.Count >= count || DateTimeOffset.UtcNow >= deadline)
            {
                return collected;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private object UserMessage(long userId, string text, long? chatId, string firstName, object[]? entities) => new
    {
        botToken = BotToken,
        from = new { id = userId, is_bot = false, first_name = firstName },
        chat = new { id = chatId ?? userId, type = "private", first_name = firstName },
        // The emulator stamps its own (bot) messages in milliseconds; user messages carry whatever we send, so
        // send milliseconds too: the bot's client must normalise them either way.
        date = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        text,
        entities,
    };

    private async Task PostOkAsync(string route, object body, CancellationToken cancellationToken) =>
        await PostAsync(route, body, cancellationToken);

    private async Task<JsonElement> PostAsync(string route, object body, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseUrl, "/" + route);
        using var response = await _http.PostAsJsonAsync(uri, body, UserSideJson, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Emulator POST /{route} answered {(int)response.StatusCode}: {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string? ReadString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? ReadInt64(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetInt64(),
            JsonValueKind.String when long.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    private static TelegramInlineKeyboardMarkup? ReadMarkup(JsonElement message)
    {
        if (!message.TryGetProperty("reply_markup", out var markup))
        {
            return null;
        }

        // The emulator stores reply_markup as the object it was given, or parses a JSON string.
        return markup.ValueKind switch
        {
            JsonValueKind.Object => markup.Deserialize<TelegramInlineKeyboardMarkup>(TelegramJson.Options),
            JsonValueKind.String => JsonSerializer.Deserialize<TelegramInlineKeyboardMarkup>(markup.GetString()!, TelegramJson.Options),
            _ => null,
        };
    }
}
