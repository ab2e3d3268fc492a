namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// Text from users made safe to store identically on both databases: PostgreSQL refuses NUL in text, and a lone
/// UTF-16 surrogate (typed, or a pair cut in two by clipping) is stored differently by each database (SQLite pairs
/// it with the next character), so both become U+FFFD. Found by the hostile-input fuzzer.
/// </summary>
public static class StorableText
{
    /// <summary>Cut to <paramref name="max"/> characters, then made storable.</summary>
    public static string Clip(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Storable(value.Length <= max ? value : value[..max]);
    }

    public static string Storable(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        char[]? copy = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var bad = c == '\0'
                || (char.IsHighSurrogate(c) && (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])))
                || (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1])));
            if (bad)
            {
                copy ??= value.ToCharArray();
                copy[i] = '\uFFFD';
            }
        }

        return copy is null ? value : new string(copy);
    }
}
