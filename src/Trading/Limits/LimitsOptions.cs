namespace VantaBot.Trading.Limits;

/// <summary>Settings under <c>Limits__*</c>: the default per-user limits (admins override them per user).</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Manual position opens per user per minute.</summary>
    public int PositionOpensPerMinute { get; set; } = 5;

    /// <summary>Orders (opens and swaps, manual or copied) per user per rolling day.</summary>
    public int TradesPerDay { get; set; } = 50;

    /// <summary>Notional traded per user per rolling hour, in whole USD.</summary>
    public long VolumeUsdPerHour { get; set; } = 10_000;

    /// <summary>Commands and button presses per user per minute.</summary>
    public int MessagesPerMinute { get; set; } = 30;

    /// <summary>Copy-trade executions per follower per minute.</summary>
    public int CopyExecutionsPerMinute { get; set; } = 10;

    /// <summary>How long one check may wait for the store (Redis) before the store counts as unavailable.</summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Prefix of every Redis key the limiter writes, so deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "vantabot:rl";

    public long DefaultFor(RateLimitName name) => name switch
    {
        RateLimitName.PositionOpens => PositionOpensPerMinute,
        RateLimitName.Trades => TradesPerDay,
        RateLimitName.VolumeUsd => VolumeUsdPerHour,
        RateLimitName.Messages => MessagesPerMinute,
        RateLimitName.CopyExecutions => CopyExecutionsPerMinute,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>The window each limit counts over; fixed so that an override changes "how many", never "per what".</summary>
    public static TimeSpan PeriodOf(RateLimitName name) => name switch
    {
        RateLimitName.Trades => TimeSpan.FromDays(1),
        RateLimitName.VolumeUsd => TimeSpan.FromHours(1),
        _ => TimeSpan.FromMinutes(1),
    };
}
