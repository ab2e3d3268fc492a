using System.Globalization;
using Microsoft.Extensions.Options;

namespace VantaBot.Risk;

/// <summary>Checks <see cref="RiskOptions"/> at start; every failure begins with the setting's environment name.</summary>
public sealed class RiskOptionsValidator : IValidateOptions<RiskOptions>
{
    /// <summary>Longest confirmation lifetime accepted: a card confirmed minutes later would act on old prices.</summary>
    public static readonly TimeSpan MaxConfirmationTtl = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, RiskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.MaxPositionUsd <= 0m)
        {
            failures.Add("Risk__MaxPositionUsd: must be positive (USD notional per pair).");
        }

        if (options.MaxRiskPerPositionFraction is <= 0m or > 1m)
        {
            failures.Add("Risk__MaxRiskPerPositionFraction: must be greater than 0 and at most 1 (0.10 = 10% of equity).");
        }

        if (options.LiquidationBufferFraction is <= 0m or >= 1m)
        {
            failures.Add("Risk__LiquidationBufferFraction: must be greater than 0 and less than 1 (0.05 = 5% of collateral).");
        }

        if (options.DailyLossLimitFraction is <= 0m or > 1m)
        {
            failures.Add("Risk__DailyLossLimitFraction: must be greater than 0 and at most 1 (0.20 = 20% of the day's starting equity).");
        }

        if (options.ConfirmationLeverageAbove < 1m)
        {
            failures.Add("Risk__ConfirmationLeverageAbove: must be at least 1 (a leverage, e.g. 50).");
        }

        if (options.ConfirmationTtl <= TimeSpan.Zero || options.ConfirmationTtl > MaxConfirmationTtl)
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"Risk__ConfirmationTtl: must be positive and at most {MaxConfirmationTtl:c} (e.g. 00:01:00)."));
        }

        if (options.MaxSlippageFraction is <= 0m or > 0.05m)
        {
            failures.Add("Risk__MaxSlippageFraction: must be greater than 0 and at most 0.05 (0.005 = 0.5% adverse move from the checked price).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
