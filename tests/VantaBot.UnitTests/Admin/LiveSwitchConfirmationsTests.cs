using VantaBot.Bot.Admin;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Admin;

public sealed class LiveSwitchConfirmationsTests
{
    private static readonly UserId Owner = new(1);
    private static readonly UserId Other = new(2);
    private readonly ManualClock _clock = new();

    [Fact]
    public void The_owner_confirms_within_60_seconds_once()
    {
        var confirmations = new LiveSwitchConfirmations(_clock);
        var token = confirmations.Add(Owner);
        _clock.Advance(TimeSpan.FromSeconds(59));

        confirmations.Take(token, Owner).ShouldBe(LiveConfirmation.Confirmed);
        confirmations.Take(token, Owner).ShouldBe(LiveConfirmation.Expired);
    }

    [Fact]
    public void At_exactly_60_seconds_it_still_counts_and_a_moment_later_it_does_not()
    {
        var confirmations = new LiveSwitchConfirmations(_clock);
        var onTime = confirmations.Add(Owner);
        var late = confirmations.Add(Owner);
        _clock.Advance(TimeSpan.FromSeconds(60));
        confirmations.Take(onTime, Owner).ShouldBe(LiveConfirmation.Confirmed);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        confirmations.Take(late, Owner).ShouldBe(LiveConfirmation.Expired);
    }

    [Fact]
    public void Someone_else_cannot_confirm_or_cancel_and_the_owner_still_can()
    {
        var confirmations = new LiveSwitchConfirmations(_clock);
        var token = confirmations.Add(Owner);

        confirmations.Take(token, Other).ShouldBe(LiveConfirmation.NotOwner);
        confirmations.Cancel(token, Other).ShouldBeFalse();
        confirmations.Take(token, Owner).ShouldBe(LiveConfirmation.Confirmed);
    }

    [Fact]
    public void A_cancelled_or_unknown_token_never_confirms()
    {
        var confirmations = new LiveSwitchConfirmations(_clock);
        var token = confirmations.Add(Owner);
        confirmations.Cancel(token, Owner).ShouldBeTrue();
        confirmations.Take(token, Owner).ShouldBe(LiveConfirmation.Expired);
        confirmations.Take("deadbeef", Owner).ShouldBe(LiveConfirmation.Expired);
    }
}
