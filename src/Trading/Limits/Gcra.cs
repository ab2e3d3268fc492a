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
    /// <param name="stored">The key's state, null when missing.</param>
    /// <returns>The TAT to store when allowed, and how far ahead of now it sits ("occupied" time).</returns>
    public static GcraStep Step(GcraState? stored, long now, long emission, long capacity, long cost)
    {
        var tat = Math.Max(Rescale(stored, now, emission, capacity) ?? now, now);
        var newTat = tat + (cost * emission);
        var occupied = newTat - now;
        return occupied > capacity
            ? new GcraStep(false, tat, tat - now, occupied - capacity)
            : new GcraStep(true, newTat, occupied, 0);
    }

    /// <summary>
    /// A TAT written under another emission interval (an admin changed the user's limit) is converted so the units
    /// already used stay used: lifting 1/min to 5/min after one open leaves 4 opens, not a minute's wait. Tightening
    /// below what is used leaves the budget full (not overdrawn): the next unit frees one new interval later.
    /// Divided before multiplying, in doubles, exactly as the Lua script does, so both stores agree to the microsecond.
    /// </summary>
    private static long? Rescale(GcraState? stored, long now, long emission, long capacity)
    {
        if (stored is not { } state)
        {
            return null;
        }

        if (state.Emission == emission || state.Tat <= now)
        {
            return state.Tat;
        }

        var units = (double)(state.Tat - now) / state.Emission;
        return now + Math.Min((long)Math.Ceiling(units * emission), capacity);
    }
}

/// <summary>What one key stores: its theoretical arrival time and the emission interval it was computed with.</summary>
public readonly record struct GcraState(long Tat, long Emission);

/// <param name="Allowed">True when the cost fits.</param>
/// <param name="Tat">The TAT after this step (unchanged when refused).</param>
/// <param name="OccupiedMicros">How far that TAT is ahead of now: the used part of the capacity.</param>
/// <param name="RetryAfterMicros">When refused: how long until the same cost would fit.</param>
public readonly record struct GcraStep(bool Allowed, long Tat, long OccupiedMicros, long RetryAfterMicros);
