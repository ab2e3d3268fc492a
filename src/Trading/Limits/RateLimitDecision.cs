namespace VantaBot.Trading.Limits;

/// <summary>What the limiter answered for one action.</summary>
public abstract record RateLimitDecision
{
    public static RateLimitDecision Allow { get; } = new Allowed();

    public sealed record Allowed : RateLimitDecision;

    /// <summary>A limit is reached; <see cref="Message"/> names it and when it frees up.</summary>
    public sealed record Limited(RateLimitName Limit, TimeSpan? RetryAfter, string Message) : RateLimitDecision;

    /// <summary>The store could not be asked. Trading fails closed on this; reads fail open.</summary>
    public sealed record StoreUnavailable(string Reason) : RateLimitDecision;
}

/// <summary>One limit as it stands for one user.</summary>
public sealed record LimitStatus(RateLimitName Limit, long Value, bool IsOverride, TimeSpan Period, long Used, TimeSpan FullyFreeIn);
