using System.Text.Json;
using System.Text.Json.Serialization;

namespace VantaBot.Bot.Telegram.Api;

/// <summary>The one <see cref="JsonSerializerOptions"/> every Bot API payload goes through.</summary>
public static class TelegramJson
{
    /// <summary>
    /// snake_case property names, nulls omitted when writing (optional Bot API fields must be absent, not null),
    /// case-insensitive reading; unknown fields are ignored. Read-only: share it, do not mutate it.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
