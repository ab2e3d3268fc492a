namespace VantaBot.Bot.Configuration;

/// <summary>Settings under <c>Redis__*</c>.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis configuration string (e.g. <c>127.0.0.1:6379</c>). Empty: in-process state only.</summary>
    public string? Connection { get; set; }
}
