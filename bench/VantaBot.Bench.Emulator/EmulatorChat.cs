using System.Net.Http.Json;
using System.Text.Json;

namespace VantaBot.Bench.Emulator;

/// <summary>A message the bot sent to a chat, as the emulator stored it.</summary>
/// <param name="TimeMs">Unix milliseconds when the emulator stored it (the emulator's clock is this machine's).</param>
internal sealed record ChatMessage(long TimeMs, string? Text);

/// <summary>
/// The user side of the telegram-test-api emulator for one bot token: users send commands, and read what the bot
/// sent to their chat (the emulator hands each message out once). A bench-sized client: the integration tests'
/// one needs xunit, and the harness needs only these two calls.
/// </summary>
internal sealed class EmulatorChat(HttpClient http, Uri baseUrl, string botToken)
{
    public string BotToken => botToken;

    /// <summary>A user types <paramref name="text"/>, a "/command args" line, in their private chat.</summary>
    public async Task SendCommandAsync(long userId, string text, CancellationToken cancellationToken)
    {
        var length = text.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? space : text.Length;
        var body = new
        {
            botToken,
            from = new { id = userId, is_bot = false, first_name = "Load" },
            chat = new { id = userId, type = "private", first_name = "Load" },
            date = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            text,
            entities = new[] { new { offset = 0, length, type = "bot_command" } },
        };
        using var response = await http.PostAsJsonAsync(new Uri(baseUrl, "/sendCommand"), body, cancellationToken);
        await EnsureOkAsync(response, "sendCommand", cancellationToken);
    }

    /// <summary>The bot's messages to <paramref name="chatId"/> not handed out before.</summary>
    public async Task<IReadOnlyList<ChatMessage>> ReadAsync(long chatId, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(baseUrl, "/getUpdates"), new { token = botToken, chatId }, cancellationToken);
        await EnsureOkAsync(response, "getUpdates", cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var result = document.RootElement.GetProperty("result");
        var messages = new List<ChatMessage>(result.GetArrayLength());
        foreach (var item in result.EnumerateArray())
        {
            var message = item.GetProperty("message");
            var text = message.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            messages.Add(new ChatMessage(item.GetProperty("time").GetInt64(), text));
        }

        return messages;
    }

    private static async Task EnsureOkAsync(HttpResponseMessage response, string route, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"Emulator POST /{route} answered {(int)response.StatusCode}: {body}");
        }
    }
}
