using VantaBot.Bot.Copy;

namespace VantaBot.UnitTests.Copy;

public sealed class CopyFollowOptionsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(1000)]
    public void A_limit_from_1_to_1000_is_valid(int max) =>
        new CopyFollowOptionsValidator().Validate(null, new CopyFollowOptions { MaxFollowsPerTrader = max }).Succeeded.ShouldBeTrue();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Any_other_limit_stops_the_start_naming_the_setting(int max)
    {
        var result = new CopyFollowOptionsValidator().Validate(null, new CopyFollowOptions { MaxFollowsPerTrader = max });

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain($"Copy__MaxFollowsPerTrader must be from 1 to 1000 (was {max})");
    }

    [Fact]
    public void The_default_is_20() => new CopyFollowOptions().MaxFollowsPerTrader.ShouldBe(20);
}
