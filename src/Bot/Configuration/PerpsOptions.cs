using Microsoft.Extensions.Options;

namespace VantaBot.Bot.Configuration;

/// <summary>Settings under <c>Perps__*</c>.</summary>
public sealed class PerpsOptions
{
    public const string Section = "Perps";

    /// <summary>How often the position monitor checks every open position's TP, SL and liquidation against the mark.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(2);
}

public sealed class PerpsOptionsValidator : IValidateOptions<PerpsOptions>
{
    public ValidateOptionsResult Validate(string? name, PerpsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MonitorInterval < TimeSpan.FromMilliseconds(100) || options.MonitorInterval > TimeSpan.FromMinutes(1)
            ? ValidateOptionsResult.Fail("Perps__MonitorInterval: must be between 00:00:00.1 and 00:01:00 (a stop checked less often than once a minute is no stop).")
            : ValidateOptionsResult.Success;
    }
}
