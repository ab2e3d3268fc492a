using Microsoft.Extensions.Options;

namespace VantaBot.Trading.Limits;

/// <summary>Each failure names the setting as an operator writes it, so the start-up error says what to fix.</summary>
public sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    /// <summary>Volume is counted in cents; this keeps every GCRA quantity an exact integer in a Lua double.</summary>
    public const long MaxVolumeUsdPerHour = 1_000_000_000;

    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var failures = new List<string>();
        Positive(failures, "Limits__PositionOpensPerMinute", options.PositionOpensPerMinute, 100_000);
        Positive(failures, "Limits__TradesPerDay", options.TradesPerDay, 1_000_000);
        Positive(failures, "Limits__VolumeUsdPerHour", options.VolumeUsdPerHour, MaxVolumeUsdPerHour);
        Positive(failures, "Limits__MessagesPerMinute", options.MessagesPerMinute, 100_000);
        Positive(failures, "Limits__CopyExecutionsPerMinute", options.CopyExecutionsPerMinute, 100_000);
        if (options.StoreTimeout <= TimeSpan.Zero || options.StoreTimeout > TimeSpan.FromSeconds(30))
        {
            failures.Add("Limits__StoreTimeout: must be above 0 and at most 00:00:30.");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.Any(c => char.IsWhiteSpace(c) || c is '{' or '}'))
        {
            failures.Add("Limits__KeyPrefix: must be non-empty, without spaces or braces (e.g. vantabot:rl).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string setting, long value, long max)
    {
        if (value < 1 || value > max)
        {
            failures.Add($"{setting}: must be between 1 and {max:#,0} (per-user overrides are set with /set_limit).");
        }
    }
}
