namespace VantaBot.Trading.Limits;

/// <summary>
/// One quantity to take from one key's budget: <paramref name="Cost"/> units out of <paramref name="Limit"/> per
/// <paramref name="Period"/>.
/// </summary>
public sealed record RateLimitCharge(string Key, long Limit, TimeSpan Period, long Cost)
{
    public long EmissionMicros => Gcra.EmissionMicros(Limit, Period);

    public long CapacityMicros => EmissionMicros * Limit;
}

/// <summary>How much of one key's budget is in use right now.</summary>
public sealed record RateLimitUsage(long Used, TimeSpan FullyFreeIn);

/// <summary>
/// The answer to a set of charges taken together: all of them were taken, or none was and
/// <see cref="RefusedIndex"/> names the first that did not fit and when it will.
/// </summary>
public sealed record RateLimitVerdict(bool Allowed, int RefusedIndex, TimeSpan RetryAfter)
{
    public static RateLimitVerdict Granted { get; } = new(true, -1, TimeSpan.Zero);
}

/// <summary>
/// Where limiter state lives: Redis for a fleet of instances, memory for one. Both run <see cref="Gcra"/> over all
/// charges of one check atomically (all taken or none), in one round trip.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>"redis" or "in-process", for operators.</summary>
    string Kind { get; }

    /// <exception cref="RateLimitStoreUnavailableException">The store cannot be reached; the caller decides fail-open or fail-closed.</exception>
    Task<RateLimitVerdict> AcquireAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken);

    /// <summary>Reads usage without taking anything (the charges' costs are ignored).</summary>
    Task<IReadOnlyList<RateLimitUsage>> PeekAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken);
}

/// <summary>The limiter's store did not answer (Redis down, timeout). Never carries connection secrets.</summary>
public sealed class RateLimitStoreUnavailableException : Exception
{
    public RateLimitStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public RateLimitStoreUnavailableException()
    {
    }

    public RateLimitStoreUnavailableException(string message)
        : base(message)
    {
    }
}
