using Microsoft.Extensions.Options;
using VantaBot.Risk;

namespace VantaBot.UnitTests.Risk;

public sealed class RiskOptionsValidatorTests
{
    [Fact]
    public void Defaults_match_the_documented_values_and_pass()
    {
        var options = new RiskOptions();
        options.MaxPositionUsd.ShouldBe(100_000m);
        options.MaxRiskPerPositionFraction.ShouldBe(0.10m);
        options.LiquidationBufferFraction.ShouldBe(0.05m);
        options.DailyLossLimitFraction.ShouldBe(0.20m);
        options.ConfirmationLeverageAbove.ShouldBe(50m);
        options.ConfirmationTtl.ShouldBe(TimeSpan.FromSeconds(60));
        RiskOptions.Section.ShouldBe("Risk");
        Validate(options).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("0", "Risk__MaxPositionUsd: must be positive")]
    [InlineData("-1", "Risk__MaxPositionUsd: must be positive")]
    public void Max_position_must_be_positive(string value, string expected) =>
        SingleFailure(new RiskOptions { MaxPositionUsd = decimal.Parse(value) }).ShouldStartWith(expected);

    [Theory]
    [InlineData("0")]
    [InlineData("1.01")]
    public void Max_risk_fraction_must_be_in_0_to_1(string value) =>
        SingleFailure(new RiskOptions { MaxRiskPerPositionFraction = decimal.Parse(value) }).ShouldStartWith("Risk__MaxRiskPerPositionFraction:");

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("-0.05")]
    public void Liquidation_buffer_must_be_in_0_to_1_exclusive(string value) =>
        SingleFailure(new RiskOptions { LiquidationBufferFraction = decimal.Parse(value) }).ShouldStartWith("Risk__LiquidationBufferFraction:");

    [Theory]
    [InlineData("0")]
    [InlineData("1.5")]
    public void Daily_loss_fraction_must_be_in_0_to_1(string value) =>
        SingleFailure(new RiskOptions { DailyLossLimitFraction = decimal.Parse(value) }).ShouldStartWith("Risk__DailyLossLimitFraction:");

    [Fact]
    public void Confirmation_threshold_must_be_a_leverage() =>
        SingleFailure(new RiskOptions { ConfirmationLeverageAbove = 0.5m }).ShouldStartWith("Risk__ConfirmationLeverageAbove:");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(601)]
    public void Confirmation_ttl_must_be_positive_and_short(int seconds) =>
        SingleFailure(new RiskOptions { ConfirmationTtl = TimeSpan.FromSeconds(seconds) }).ShouldStartWith("Risk__ConfirmationTtl:");

    [Fact]
    public void Edges_that_are_allowed_pass()
    {
        Validate(new RiskOptions { MaxRiskPerPositionFraction = 1m, DailyLossLimitFraction = 1m, ConfirmationLeverageAbove = 1m }).Succeeded.ShouldBeTrue();
        Validate(new RiskOptions { ConfirmationTtl = TimeSpan.FromMinutes(10) }).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once()
    {
        var result = Validate(new RiskOptions
        {
            MaxPositionUsd = 0m,
            MaxRiskPerPositionFraction = 0m,
            LiquidationBufferFraction = 0m,
            DailyLossLimitFraction = 0m,
            ConfirmationLeverageAbove = 0m,
            ConfirmationTtl = TimeSpan.Zero,
        });
        result.Failed.ShouldBeTrue();
        result.Failures!.Select(f => f[..f.IndexOf(':')]).ShouldBe(
        [
            "Risk__MaxPositionUsd",
            "Risk__MaxRiskPerPositionFraction",
            "Risk__LiquidationBufferFraction",
            "Risk__DailyLossLimitFraction",
            "Risk__ConfirmationLeverageAbove",
            "Risk__ConfirmationTtl",
        ]);
    }

    private static ValidateOptionsResult Validate(RiskOptions options) => new RiskOptionsValidator().Validate(null, options);

    private static string SingleFailure(RiskOptions options)
    {
        var result = Validate(options);
        result.Failed.ShouldBeTrue();
        return result.Failures!.ShouldHaveSingleItem();
    }
}
