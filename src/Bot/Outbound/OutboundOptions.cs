using Microsoft.Extensions.Options;

namespace VantaBot.Bot.Outbound;

/// <summary>Settings under <c>Outbound__*</c>: how the one outbound queue paces what the bot sends to Telegram.</summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>Bot API sends per second over all chats (Telegram: about 30).</summary>
    public int GlobalPerSecond { get; set; } = 30;

    /// <summary>Least time between two sends to one chat (Telegram: about one message per second per chat).</summary>
    public TimeSpan PerChatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Sends per minute to one group chat (Telegram: 20), applied as even spacing.</summary>
    public int GroupPerMinute { get; set; } = 20;

    /// <summary>Sends in flight at once (each to a different chat).</summary>
    public int MaxConcurrentSends { get; set; } = 8;

    /// <summary>Attempts of one message after 5xx or network errors before it is dropped (429s do not count).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Backoff after a 5xx or network error starts here and doubles per attempt.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Normal-lane messages one chat may have waiting; more are dropped (a flood never grows memory). Priority messages are never dropped.</summary>
    public int MaxQueuedPerChat { get; set; } = 100;

    /// <summary>On shutdown, how long the queue keeps sending what is waiting.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an outbox row waits for the handler's own reply to deliver it before the relay sends it.</summary>
    public TimeSpan OutboxGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the relay looks for outbox rows to deliver.</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Spacing of sends to a group: the per-chat interval or the group rate, whichever is slower.</summary>
    public TimeSpan GroupInterval => TimeSpan.FromTicks(Math.Max(PerChatInterval.Ticks, TimeSpan.FromMinutes(1).Ticks / Math.Max(1, GroupPerMinute)));
}

public sealed class OutboundOptionsValidator : IValidateOptions<OutboundOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboundOptions options)
    {
        var failures = new List<string>();
        Range(failures, "Outbound__GlobalPerSecond", options.GlobalPerSecond, 1, 1000);
        Range(failures, "Outbound__GroupPerMinute", options.GroupPerMinute, 1, 1000);
        Range(failures, "Outbound__MaxConcurrentSends", options.MaxConcurrentSends, 1, 256);
        Range(failures, "Outbound__MaxAttempts", options.MaxAttempts, 1, 100);
        Range(failures, "Outbound__MaxQueuedPerChat", options.MaxQueuedPerChat, 1, 100_000);
        Positive(failures, "Outbound__PerChatInterval", options.PerChatInterval, allowZero: true);
        Positive(failures, "Outbound__BaseBackoff", options.BaseBackoff, allowZero: false);
        Positive(failures, "Outbound__MaxBackoff", options.MaxBackoff, allowZero: false);
        Positive(failures, "Outbound__DrainTimeout", options.DrainTimeout, allowZero: true);
        Positive(failures, "Outbound__OutboxGrace", options.OutboxGrace, allowZero: true);
        Positive(failures, "Outbound__OutboxPollInterval", options.OutboxPollInterval, allowZero: false);
        if (options.MaxBackoff < options.BaseBackoff)
        {
            failures.Add("Outbound__MaxBackoff: must not be below Outbound__BaseBackoff.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{setting}: must be between {min} and {max}.");
        }
    }

    private static void Positive(List<string> failures, string setting, TimeSpan value, bool allowZero)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero) || value > TimeSpan.FromHours(1))
        {
            failures.Add($"{setting}: must be {(allowZero ? "zero or more" : "above zero")} and at most 01:00:00.");
        }
    }
}
