namespace VantaBot.Bot.Configuration;

/// <summary>Settings under <c>Health__*</c>: where the HTTP endpoints (health, metrics, webhook) listen.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Semicolon or comma list of listen URLs.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    public IReadOnlyList<string> ParsedUrls =>
        Urls.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
