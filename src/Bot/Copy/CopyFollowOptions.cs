using Microsoft.Extensions.Options;

namespace VantaBot.Bot.Copy;

/// <summary>Limits of the follow commands (<c>Copy__…</c>).</summary>
public sealed class CopyFollowOptions
{
    public const string Section = "Copy";

    /// <summary>
    /// How many leaders one trader may follow. Every leader trade fans out to each follower, so an unbounded list
    /// would let one trader multiply their own copy traffic (and the fan-out's work) without limit.
    /// </summary>
    public int MaxFollowsPerTrader { get; set; } = 20;
}

public sealed class CopyFollowOptionsValidator : IValidateOptions<CopyFollowOptions>
{
    public const int Ceiling = 1000;

    public ValidateOptionsResult Validate(string? name, CopyFollowOptions options) =>
        options.MaxFollowsPerTrader is >= 1 and <= Ceiling
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Copy__MaxFollowsPerTrader must be from 1 to {Ceiling} (was {options.MaxFollowsPerTrader}).");
}
