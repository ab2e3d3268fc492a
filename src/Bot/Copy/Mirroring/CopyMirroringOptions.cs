using Microsoft.Extensions.Options;

namespace VantaBot.Bot.Copy.Mirroring;

/// <summary>Copy-trade mirroring settings (<c>Copy__…</c>).</summary>
public sealed class CopyMirroringOptions
{
    public const string Section = "Copy";

    /// <summary>Mirror workers per instance: each runs one follower's order at a time.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>How long a claimed mirror is a worker's; after a crash it is claimed again once this ends.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often an idle fan-out or worker looks for new work.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Mirrors one worker claims at once.</summary>
    public int ClaimBatch { get; set; } = 16;

    /// <summary>Tries of a mirror whose run threw (an infrastructure fault) before it is marked Failed and the follower told.</summary>
    public int MaxAttempts { get; set; } = 5;
}

public sealed class CopyMirroringOptionsValidator : IValidateOptions<CopyMirroringOptions>
{
    public ValidateOptionsResult Validate(string? name, CopyMirroringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Workers is < 1 or > 64)
        {
            problems.Add($"Copy__Workers must be between 1 and 64 (was {options.Workers}).");
        }

        if (options.ClaimLease < TimeSpan.FromSeconds(10) || options.ClaimLease > TimeSpan.FromHours(1))
        {
            problems.Add($"Copy__ClaimLease must be between 00:00:10 and 01:00:00 (was {options.ClaimLease}); it must outlast one order.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            problems.Add($"Copy__PollInterval must be between 00:00:00.01 and 00:01:00 (was {options.PollInterval}).");
        }

        if (options.ClaimBatch is < 1 or > 1000)
        {
            problems.Add($"Copy__ClaimBatch must be between 1 and 1000 (was {options.ClaimBatch}).");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            problems.Add($"Copy__MaxAttempts must be between 1 and 100 (was {options.MaxAttempts}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
