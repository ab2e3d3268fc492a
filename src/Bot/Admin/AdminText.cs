using System.Globalization;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin;

/// <summary>How admin replies write times, people and durations.</summary>
public static class AdminText
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Who(UserId? user) => user is { } id ? $"user {id}" : "the system";

    public static string Actor(BotUser user) => $"{user.DisplayName} ({user.Id}, {user.Role})";

    public static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h {span.Minutes}m"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m {span.Seconds}s"
        : $"{(int)span.TotalSeconds}s";

    /// <summary>Free text from chat, trimmed to a length that fits a reply and an audit row.</summary>
    public static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
