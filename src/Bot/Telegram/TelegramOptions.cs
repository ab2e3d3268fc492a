namespace VantaBot.Bot.Telegram;

public enum TelegramTransportKind
{
    Polling,
    Webhook,
    Console,
}

/// <summary>Settings under <c>Telegram__*</c>. Validated at start by <see cref="TelegramOptionsValidator"/>.</summary>
public sealed class TelegramOptions
{
    public const string Section = "Telegram";

    /// <summary>Bot token from @BotFather. Empty: the bot runs the Console transport.</summary>
    public string? BotToken { get; set; }

    /// <summary>Bot API server; a self-hosted server or the test emulator lives elsewhere.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.telegram.org");

    /// <summary>Null means: Polling when a token is set, else Console.</summary>
    public TelegramTransportKind? Transport { get; set; }

    public Uri? WebhookUrl { get; set; }

    public string? WebhookSecret { get; set; }

    /// <summary>The Telegram user id the Console transport chats as.</summary>
    public long ConsoleUserId { get; set; } = 1;

    /// <summary>Long-poll timeout passed to getUpdates.</summary>
    public int PollingTimeoutSeconds { get; set; } = 25;

    /// <summary>
    /// Pause after an empty or failed getUpdates. Servers that ignore the long-poll timeout (the test emulator)
    /// would otherwise be polled in a tight loop.
    /// </summary>
    public TimeSpan PollingIdleDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How many senders' updates of one getUpdates batch the polling transport handles at once. One sender's
    /// updates always run one after another, in update_id order; 1 handles the whole batch one at a time.
    /// </summary>
    public int PollingConcurrency { get; set; } = 8;

    /// <summary>Per HTTP call.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>How many times one call is retried after 429, 5xx or a network error.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>A 429 asking us to wait longer than this is surfaced to the caller instead of slept through.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An update claimed but not completed for this long counts as abandoned (its process died or hung between the
    /// claim and the reply), and a re-delivery of it is handled again. Longer than any handler runs, so a slow one
    /// is not handled twice by two instances.
    /// </summary>
    public TimeSpan UpdateClaimAbandonAfter { get; set; } = TimeSpan.FromMinutes(2);

    public TelegramTransportKind EffectiveTransport =>
        Transport ?? (string.IsNullOrWhiteSpace(BotToken) ? TelegramTransportKind.Console : TelegramTransportKind.Polling);
}
