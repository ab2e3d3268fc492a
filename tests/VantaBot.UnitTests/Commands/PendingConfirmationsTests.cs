using Microsoft.Extensions.Options;
using VantaBot.Bot.Commands;
using VantaBot.Risk;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Commands;

public sealed class PendingConfirmationsTests
{
    private static readonly UserId Owner = new(1001);
    private static readonly UserId Stranger = new(2002);

    private readonly ManualClock _clock = new();
    private readonly PendingConfirmations _pending;

    public PendingConfirmationsTests()
    {
        _pending = new PendingConfirmations(_clock, Options.Create(new RiskOptions()));
    }

    [Fact]
    public void The_owner_takes_the_order_once()
    {
        var order = Order(Owner);
        var token = _pending.Add(order);

        var first = _pending.Take(token, Owner);
        first.Order.ShouldBe(order);
        first.Problem.ShouldBe(ConfirmationProblem.None);
        first.Message.ShouldBeNull();

        var second = _pending.Take(token, Owner);
        second.Order.ShouldBeNull();
        second.Problem.ShouldBe(ConfirmationProblem.AlreadyUsed);
        second.Message!.ShouldContain("already used");
    }

    [Fact]
    public void An_unknown_token_is_expired_or_used()
    {
        var lookup = _pending.Take("deadbeefdeadbeef", Owner);

        lookup.Order.ShouldBeNull();
        lookup.Problem.ShouldBe(ConfirmationProblem.Expired);
        lookup.Message!.ShouldContain("nothing was ordered");
    }

    [Fact]
    public void Another_user_is_refused_and_does_not_consume_the_token()
    {
        var order = Order(Owner);
        var token = _pending.Add(order);

        var stranger = _pending.Take(token, Stranger);
        stranger.Order.ShouldBeNull();
        stranger.Problem.ShouldBe(ConfirmationProblem.NotOwner);
        stranger.Message!.ShouldContain("Only the trader who placed this order");

        _pending.Take(token, Owner).Order.ShouldBe(order);
    }

    [Fact]
    public void Exactly_at_the_ttl_the_token_is_still_valid()
    {
        var order = Order(Owner);
        var token = _pending.Add(order);

        _clock.Advance(TimeSpan.FromSeconds(60));

        _pending.Take(token, Owner).Order.ShouldBe(order);
    }

    [Fact]
    public void One_tick_past_the_ttl_the_token_is_expired_and_gone()
    {
        var token = _pending.Add(Order(Owner));

        _clock.Advance(TimeSpan.FromSeconds(60) + TimeSpan.FromTicks(1));

        var expired = _pending.Take(token, Owner);
        expired.Order.ShouldBeNull();
        expired.Problem.ShouldBe(ConfirmationProblem.Expired);
        expired.Message!.ShouldContain("expired");
        expired.Message!.ShouldContain("nothing was ordered");

        // The expired entry was removed: a retry finds nothing at all.
        var again = _pending.Take(token, Owner);
        again.Order.ShouldBeNull();
        again.Problem.ShouldBe(ConfirmationProblem.Expired);
        again.Message!.ShouldContain("expired or was already used");
    }

    [Fact]
    public void The_expiry_message_states_the_configured_ttl()
    {
        var pending = new PendingConfirmations(_clock, Options.Create(new RiskOptions { ConfirmationTtl = TimeSpan.FromSeconds(30) }));
        var token = pending.Add(Order(Owner));

        _clock.Advance(TimeSpan.FromSeconds(31));

        var problem = pending.Take(token, Owner).Message!;
        problem.ShouldContain("30 s");
        problem.ShouldNotContain("60 s");
    }

    [Fact]
    public void Expired_entries_are_pruned_on_the_next_add()
    {
        var old = _pending.Add(Order(Owner));
        _clock.Advance(TimeSpan.FromSeconds(61));

        var fresh = _pending.Add(Order(Owner));

        _pending.Take(old, Owner).Problem.ShouldBe(ConfirmationProblem.Expired);
        _pending.Take(fresh, Owner).Order.ShouldNotBeNull();
    }

    [Fact]
    public void The_owner_cancels_once()
    {
        var token = _pending.Add(Order(Owner));

        _pending.Cancel(token, Owner).ShouldBe(CancelResult.Cancelled);
        _pending.Cancel(token, Owner).ShouldBe(CancelResult.AlreadyUsed);
        _pending.Take(token, Owner).Problem.ShouldBe(ConfirmationProblem.AlreadyUsed);
    }

    [Fact]
    public void Another_user_cannot_cancel()
    {
        var order = Order(Owner);
        var token = _pending.Add(order);

        _pending.Cancel(token, Stranger).ShouldBe(CancelResult.NotOwner);

        _pending.Take(token, Owner).Order.ShouldBe(order);
    }

    [Fact]
    public void A_confirmed_card_cannot_be_cancelled_and_says_so()
    {
        var token = _pending.Add(Order(Owner));

        _pending.Take(token, Owner).Order.ShouldNotBeNull();

        _pending.Cancel(token, Owner).ShouldBe(CancelResult.AlreadyUsed);
    }

    [Fact]
    public void A_used_card_is_forgotten_once_it_would_have_expired()
    {
        var token = _pending.Add(Order(Owner));
        _pending.Take(token, Owner);
        _clock.Advance(TimeSpan.FromSeconds(61));
        _pending.Add(Order(Owner));

        _pending.Take(token, Owner).Problem.ShouldBe(ConfirmationProblem.Expired);
    }

    [Fact]
    public void Tokens_are_unique()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => _pending.Add(Order(Owner))).ToList();

        tokens.Distinct(StringComparer.Ordinal).Count().ShouldBe(1000);
        tokens.ShouldAllBe(t => t.Length == 16);
    }

    private static OpenPositionOrder Order(UserId user) =>
        new(user, "update:1", Pair.Usd("BTC"), Side.Long, 100m, 60m, null, null, IsConfirmed: false);
}
