using VantaBot.Bot.Copy.Mirroring;

namespace VantaBot.UnitTests.Copy;

public sealed class CopyMirroringOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new CopyMirroringOptions();

        new CopyMirroringOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
        (options.Workers, options.ClaimLease).ShouldBe((4, TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void Each_bad_value_is_named_with_its_setting()
    {
        var options = new CopyMirroringOptions
        {
            Workers = 0,
            ClaimLease = TimeSpan.FromSeconds(1),
            PollInterval = TimeSpan.Zero,
            ClaimBatch = 0,
            MaxAttempts = 0,
        };

        var result = new CopyMirroringOptionsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldNotBeNull().Select(f => f.Split(' ')[0]).ShouldBe(
            ["Copy__Workers", "Copy__ClaimLease", "Copy__PollInterval", "Copy__ClaimBatch", "Copy__MaxAttempts"]);
    }
}
