using System.Globalization;

namespace VantaBot.Bench.Emulator;

/// <summary>Whether the bot keeps Telegram's send limits (30/s overall, 1/s per chat) or has them lifted.</summary>
internal enum TelegramLimits
{
    /// <summary>The outbound queue paced far above what the load reaches, so it measures the bot, not Telegram's caps.</summary>
    Lifted,

    /// <summary>The defaults a deployment runs with: throughput is capped near 30 replies/s by design.</summary>
    Real,
}

internal sealed record BenchOptions(
    int Clients,
    int Seconds,
    int Users,
    Uri Telegram,
    string? PgAdmin,
    string? Redis,
    string? Only,
    TimeSpan UserPoll,
    TimeSpan BotIdle,
    TimeSpan ReplyTimeout,
    TelegramLimits Limits,
    int? PgPid,
    int? RedisPid,
    int? TelegramPid)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Get(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        int? Pid(string name) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        var telegram = Get("--telegram") ?? Environment.GetEnvironmentVariable("VANTABOT_TEST_TELEGRAM_URL")
            ?? throw new ArgumentException("--telegram <emulator url> (or VANTABOT_TEST_TELEGRAM_URL) is required");
        var options = new BenchOptions(
            Int("--clients", 16),
            Int("--seconds", 15),
            Int("--users", 500),
            new Uri(telegram),
            Get("--pg") ?? Environment.GetEnvironmentVariable("VANTABOT_TEST_PG"),
            Get("--redis") ?? Environment.GetEnvironmentVariable("VANTABOT_TEST_REDIS"),
            Get("--only"),
            TimeSpan.FromMilliseconds(Int("--user-poll-ms", 250)),
            TimeSpan.FromMilliseconds(Int("--bot-idle-ms", 10)),
            TimeSpan.FromSeconds(Int("--reply-timeout", 30)),
            Enum.Parse<TelegramLimits>(Get("--telegram-limits") ?? nameof(TelegramLimits.Lifted), ignoreCase: true),
            Pid("--pg-pid"),
            Pid("--redis-pid"),
            Pid("--telegram-pid"));
        if (options.Clients < 1 || options.Users < options.Clients || options.Seconds < 1)
        {
            throw new ArgumentException("--clients ≥ 1, --users ≥ --clients and --seconds ≥ 1");
        }

        if (options.Only is not (null or "sqlite" or "postgres"))
        {
            throw new ArgumentException("--only takes sqlite or postgres");
        }

        return options;
    }
}
