using VantaBot.Trading.Copy;
using VantaBot.Trading.Copy.Mirroring;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Copy;

public sealed class MirrorPlannerTests
{
    private static readonly UserId Follower = new(42);
    private static readonly DateTimeOffset At = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly LeaderTrade.PerpOpen Open = new("perp-open:a", LeaderRef.Bot(new UserId(123)), At, PositionId.New(), Pair.Usd("ETH"), Side.Long, 1_000m, 5m);
    private static readonly LeaderTrade.Swap Swap = new(
        "evm:base:0x1", LeaderRef.Evm("0xAbC0000000000000000000000000000000000001"), At, "base", "WETH", "USDC", 2m, 6_000m, "0x1", 7);

    [Theory]
    [InlineData(CopySizeKind.FixedUsd, "50", null, "50", 0)]
    [InlineData(CopySizeKind.PercentOfLeader, "10", null, "100", 0)]
    [InlineData(CopySizeKind.PercentOfLeader, "100", "200", "200", 1)]
    [InlineData(CopySizeKind.FixedUsd, "500", "200", "200", 1)]
    [InlineData(CopySizeKind.FixedUsd, "150", "200", "150", 0)]
    [InlineData(CopySizeKind.PercentOfLeader, "0.0333", null, "0.33", 0)]
    public void A_perps_copy_posts_the_followers_size_capped_by_max(CopySizeKind kind, string size, string? max, string expected, int notes)
    {
        var settings = new FollowSettings(new CopySize(kind, Dec(size)), max is null ? null : Dec(max), null, null);

        var plan = MirrorPlanner.PlanOpen(Open, settings, Follower, "copy:9").ShouldBeOfType<MirrorPlan.OpenPerp>();

        plan.Order.Collateral.ShouldBe(Dec(expected));
        plan.Order.Leverage.ShouldBe(5m);
        plan.Order.IsCopy.ShouldBeTrue();
        plan.Order.IsConfirmed.ShouldBeFalse("a copy meets the same confirmation rule as a manual order");
        plan.Order.IdempotencyKey.ShouldBe("copy:9");
        plan.Order.User.ShouldBe(Follower);
        (plan.Order.Pair, plan.Order.Side).ShouldBe((Pair.Usd("ETH"), Side.Long));
        plan.Notes.Count.ShouldBe(notes);
    }

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Maxlev_lowers_the_leverage_and_says_so()
    {
        var settings = FollowSettings.Default with { MaxLeverage = 3m };

        var plan = MirrorPlanner.PlanOpen(Open, settings, Follower, "copy:1").ShouldBeOfType<MirrorPlan.OpenPerp>();

        plan.Order.Leverage.ShouldBe(3m);
        plan.Notes.ShouldBe(["Leverage lowered from 5x to your maxlev 3x."]);
        MirrorPlanner.PlanOpen(Open, FollowSettings.Default with { MaxLeverage = 10m }, Follower, "copy:1")
            .ShouldBeOfType<MirrorPlan.OpenPerp>().Order.Leverage.ShouldBe(5m, "a cap above the leader's leverage changes nothing");
    }

    [Fact]
    public void A_pair_outside_the_followers_pairs_is_skipped_with_the_pairs_named()
    {
        var settings = FollowSettings.Default with { Pairs = new HashSet<string> { "SOL", "BTC" } };

        var skip = MirrorPlanner.PlanOpen(Open, settings, Follower, "copy:1").ShouldBeOfType<MirrorPlan.Skip>();

        skip.Reason.ShouldBe("ETH is not in your pairs (BTC,SOL)");
        MirrorPlanner.SkipNotice(Open, skip.Reason).ShouldBe("⏭ Not copied: #123 LONG ETH 5x — ETH is not in your pairs (BTC,SOL)");
    }

    [Fact]
    public void A_size_that_rounds_to_nothing_is_skipped()
    {
        var settings = FollowSettings.Default with { Size = new CopySize(CopySizeKind.PercentOfLeader, 0.0001m) };

        MirrorPlanner.PlanOpen(Open, settings, Follower, "copy:1").ShouldBeOfType<MirrorPlan.Skip>().Reason.ShouldContain("rounds to nothing");
    }

    [Fact]
    public void A_swap_copy_takes_a_share_of_the_leaders_input_or_a_fixed_usd_value_at_the_price()
    {
        var percent = MirrorPlanner.PlanSwap(Swap, FollowSettings.Default with { Size = new CopySize(CopySizeKind.PercentOfLeader, 25m) }, Follower, "copy:3", 18, 3_000m, 50)
            .ShouldBeOfType<MirrorPlan.Swap>().Order;
        percent.ShouldBe(new Trading.Swaps.SwapOrder(Follower, "copy:3", "base", "WETH", "USDC", 0.5m, 50, IsCopy: true));

        var fixedUsd = MirrorPlanner.PlanSwap(Swap, FollowSettings.Default with { Size = new CopySize(CopySizeKind.FixedUsd, 300m) }, Follower, "copy:3", 18, 3_000m, 50)
            .ShouldBeOfType<MirrorPlan.Swap>().Order;
        fixedUsd.AmountIn.ShouldBe(0.1m);

        var capped = MirrorPlanner.PlanSwap(Swap, FollowSettings.Default with { MaxUsd = 1_500m }, Follower, "copy:3", 18, 3_000m, 50).ShouldBeOfType<MirrorPlan.Swap>();
        capped.Order.AmountIn.ShouldBe(0.5m);
        capped.Notes.ShouldBe(["Input capped at your max of 1,500 USD."]);
    }

    [Fact]
    public void A_swap_amount_is_rounded_down_to_the_tokens_decimals()
    {
        var plan = MirrorPlanner.PlanSwap(Swap, FollowSettings.Default with { Size = new CopySize(CopySizeKind.FixedUsd, 100m) }, Follower, "copy:3", 6, 3_000m, 50);

        plan.ShouldBeOfType<MirrorPlan.Swap>().Order.AmountIn.ShouldBe(0.033333m);
    }

    [Fact]
    public void A_usd_size_or_cap_without_a_price_is_skipped_and_percent_sizes_need_none()
    {
        MirrorPlanner.PlanSwap(Swap, FollowSettings.Default with { Size = new CopySize(CopySizeKind.FixedUsd, 100m) }, Follower, "k", 18, null, 50)
            .ShouldBeOfType<MirrorPlan.Skip>().Reason.ShouldStartWith("no USD price for WETH");
        MirrorPlanner.PlanSwap(Swap, FollowSettings.Default with { MaxUsd = 100m }, Follower, "k", 18, null, 50)
            .ShouldBeOfType<MirrorPlan.Skip>().Reason.ShouldContain("your max of 100 USD cannot be checked");
        MirrorPlanner.PlanSwap(Swap, FollowSettings.Default, Follower, "k", 18, null, 50)
            .ShouldBeOfType<MirrorPlan.Swap>().Order.AmountIn.ShouldBe(2m);
    }

    [Fact]
    public void A_swap_is_copied_when_either_token_is_followed_wrapped_coins_counting_as_the_coin()
    {
        var eth = FollowSettings.Default with { Pairs = new HashSet<string> { "ETH" } };
        MirrorPlanner.PlanSwap(Swap, eth, Follower, "k", 18, 3_000m, 50).ShouldBeOfType<MirrorPlan.Swap>();

        var btc = FollowSettings.Default with { Pairs = new HashSet<string> { "BTC" } };
        MirrorPlanner.PlanSwap(Swap, btc, Follower, "k", 18, 3_000m, 50).ShouldBeOfType<MirrorPlan.Skip>().Reason.ShouldBe("WETH/USDC is not in your pairs (BTC)");
        MirrorPlanner.SkipNotice(Swap, "x").ShouldBe("⏭ Not copied: 0xabc0…0001 swap 2 WETH → USDC — x");
    }

    [Fact]
    public void Mirror_keys_are_one_per_leader_trade()
    {
        MirrorPlanner.KeyFor(77).ShouldBe("copy:77");
    }
}
