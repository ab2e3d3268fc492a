namespace VantaBot.Trading.Limits;

/// <summary>
/// The Generic Cell Rate Algorithm in whole microseconds, the single definition both stores follow (the Redis Lua
/// script is a line-by-line transcription). A limit of N units per period P has an emission interval
/// T = ceil(P / N) and a capacity of N·T: a fresh key admits exactly N units at once, then one more every T.
/// The state is one number per key, the theoretical arrival time (TAT); a missing key means "idle".
/// </summary>
public static class Gcra
{
    public static long EmissionMicros(long limit, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var periodMicros = period.Ticks / 10;

        // Rounded up, so N·T ≥ P and the window never admits more than N per P; capacity is N·T so it admits exactly N.
        return (periodMicros + limit - 1) / limit;
    }

    /// <summary>One key's step. <paramref name="cost"/> 0 only looks.</summary>
    /// <returns>The TAT to store when allowed, and how far ahead of now it sits ("occupied" time).</returns>
    public static GcraStep Step(long? storedTat, long now, long emission, long capacity, long cost)
    {
        var tat = Math.Max(storedTat ?? now, now);
        var newTat = tat + (cost * emission);
        var occupied = newTat - now;
        return occupied > capacity
            ? new GcraStep(false, tat, tat - now, occupied - capacity)
            : new GcraStep(true, newTat, occupied, 0);
    }
}

/// <param name="Allowed">True when the cost fits.</param>
/// <param name="Tat">The TAT after this step (unchanged when refused).</param>
/// <param name="OccupiedMicros">How far that TAT is ahead of now: the used part of the capacity.</param>
/// <param name="RetryAfterMicros">When refused: how long until the same cost would fit.</param>
public readonly record struct GcraStep(bool Allowed, long Tat, long OccupiedMicros, long RetryAfterMicros);
