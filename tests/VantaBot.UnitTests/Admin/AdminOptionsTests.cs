using VantaBot.Bot.Admin;
using VantaBot.Bot.Configuration;

namespace VantaBot.UnitTests.Admin;

public sealed class AdminOptionsTests
{
    [Fact]
    public void Defaults_are_valid() => new AdminOptionsValidator().Validate(null, new AdminOptions()).Succeeded.ShouldBeTrue();

    [Theory]
    [InlineData(0, 10_000, "Admin__ControlRefreshInterval")]
    [InlineData(60_000, 10_000, "Admin__ControlRefreshInterval")]
    [InlineData(1_000, 100, "Admin__HeartbeatInterval")]
    public void A_bad_interval_names_its_setting(int refreshMs, int heartbeatMs, string setting)
    {
        var result = new AdminOptionsValidator().Validate(null, new AdminOptions
        {
            ControlRefreshInterval = TimeSpan.FromMilliseconds(refreshMs),
            HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatMs),
        });
        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldStartWith(setting + ":");
    }

    [Fact]
    public void The_allow_list_is_optional_and_parsed_like_the_super_admin_list()
    {
        new AccessOptions().ParsedAllowList.ShouldBeNull();
        new AccessOptions { AllowList = " 5, 7 " }.ParsedAllowList.ShouldBe(new HashSet<long> { 5, 7 });
        var bad = new AccessOptionsValidator().Validate(null, new AccessOptions { AllowList = "5,abc" });
        bad.Failed.ShouldBeTrue();
        bad.FailureMessage.ShouldContain("Access__AllowList: 'abc'");
    }
}
