using System.Diagnostics.CodeAnalysis;

namespace VantaBot.Trading.Limits;

/// <summary>The per-user limits the bot enforces. Names are stable: they appear in keys, overrides and replies.</summary>
public enum RateLimitName
{
    PositionOpens,
    Trades,
    VolumeUsd,
    Messages,
    CopyExecutions,
}

public static class RateLimitNames
{
    public static IReadOnlyList<RateLimitName> All { get; } = Enum.GetValues<RateLimitName>();

    /// <summary>The short word admins type (/set_limit 42 opens 10) and the key segment in the store.</summary>
    public static string Code(this RateLimitName name) => name switch
    {
        RateLimitName.PositionOpens => "opens",
        RateLimitName.Trades => "trades",
        RateLimitName.VolumeUsd => "volume",
        RateLimitName.Messages => "messages",
        RateLimitName.CopyExecutions => "copy",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static string Describe(this RateLimitName name) => name switch
    {
        RateLimitName.PositionOpens => "position opens",
        RateLimitName.Trades => "trades",
        RateLimitName.VolumeUsd => "traded volume",
        RateLimitName.Messages => "messages",
        RateLimitName.CopyExecutions => "copy-trade executions",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static bool TryParse(string? text, [NotNullWhen(true)] out RateLimitName? name)
    {
        name = All.Cast<RateLimitName?>().FirstOrDefault(n => string.Equals(n!.Value.Code(), text, StringComparison.OrdinalIgnoreCase));
        return name is not null;
    }
}
