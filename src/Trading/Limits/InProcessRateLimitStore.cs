namespace VantaBot.Trading.Limits;

/// <summary>
/// The embedded-mode store (no <c>Redis__Connection</c>): the same <see cref="Gcra"/> steps as the Redis script,
/// all charges of a check under one lock, time from the injected clock. Idle keys (TAT in the past) mean the same as
/// missing ones, so they are swept now and then to keep memory bounded by the active users.
/// </summary>
public sealed class InProcessRateLimitStore(TimeProvider time) : IRateLimitStore
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, GcraState> _tats = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    public string Kind => "in-process";

    public int TrackedKeys
    {
        get
        {
            lock (_gate)
            {
                return _tats.Count;
            }
        }
    }

    public Task<RateLimitVerdict> AcquireAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        var nowInstant = time.GetUtcNow();
        var now = ToMicros(nowInstant);
        var steps = new GcraStep[charges.Count];
        lock (_gate)
        {
            SweepIfDue(nowInstant, now);
            for (var i = 0; i < charges.Count; i++)
            {
                var charge = charges[i];
                steps[i] = Gcra.Step(Stored(charge.Key), now, charge.EmissionMicros, charge.CapacityMicros, charge.Cost);
                if (!steps[i].Allowed)
                {
                    return Task.FromResult(new RateLimitVerdict(false, i, FromMicros(steps[i].RetryAfterMicros)));
                }
            }

            for (var i = 0; i < charges.Count; i++)
            {
                if (charges[i].Cost > 0)
                {
                    _tats[charges[i].Key] = new GcraState(steps[i].Tat, charges[i].EmissionMicros);
                }
            }
        }

        return Task.FromResult(RateLimitVerdict.Granted);
    }

    public Task<IReadOnlyList<RateLimitUsage>> PeekAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        var now = ToMicros(time.GetUtcNow());
        var usage = new RateLimitUsage[charges.Count];
        lock (_gate)
        {
            for (var i = 0; i < charges.Count; i++)
            {
                var step = Gcra.Step(Stored(charges[i].Key), now, charges[i].EmissionMicros, charges[i].CapacityMicros, 0);
                usage[i] = ToUsage(step.OccupiedMicros, charges[i].EmissionMicros);
            }
        }

        return Task.FromResult<IReadOnlyList<RateLimitUsage>>(usage);
    }

    /// <summary>Used units are the occupied time in whole emission intervals, rounded up (a part-used unit is not free yet).</summary>
    public static RateLimitUsage ToUsage(long occupiedMicros, long emissionMicros) =>
        new((occupiedMicros + emissionMicros - 1) / emissionMicros, FromMicros(occupiedMicros));

    public static long ToMicros(DateTimeOffset instant) => (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static TimeSpan FromMicros(long micros) => TimeSpan.FromTicks(micros * 10);

    private GcraState? Stored(string key) => _tats.TryGetValue(key, out var state) ? state : null;

    private void SweepIfDue(DateTimeOffset nowInstant, long now)
    {
        if (nowInstant - _lastSweep < SweepEvery)
        {
            return;
        }

        _lastSweep = nowInstant;
        foreach (var key in _tats.Where(kv => kv.Value.Tat <= now).Select(kv => kv.Key).ToList())
        {
            _tats.Remove(key);
        }
    }
}
