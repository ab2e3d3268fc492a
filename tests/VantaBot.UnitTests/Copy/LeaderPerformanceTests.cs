using VantaBot.Trading.Copy;

namespace VantaBot.UnitTests.Copy;

public sealed class LeaderPerformanceTests
{
    [Fact]
    public void No_closes_is_no_record_and_no_win_rate()
    {
        var none = LeaderPerformance.FromCloses([]);

        none.ShouldBe(LeaderPerformance.None);
        none.WinRate.ShouldBeNull();
    }

    [Fact]
    public void Wins_are_closes_that_made_money_net_of_fees_and_break_even_is_not_a_win()
    {
        var p = LeaderPerformance.FromCloses([10m, -4m, 0m, 2.5m]);

        p.Trades.ShouldBe(4);
        p.Wins.ShouldBe(2);
        p.WinRate.ShouldBe(0.5m);
        p.RealizedPnl.ShouldBe(8.5m);
    }

    [Fact]
    public void The_drawdown_is_the_largest_fall_from_a_running_peak_to_a_later_trough()
    {
        // Cumulative: 100, 60, 90, 150, 70, 80, 40 — peak 150 then trough 40: 110 (the earlier 100 → 60 is only 40).
        LeaderPerformance.MaxDrawdownOf([100m, -40m, 30m, 60m, -80m, 10m, -40m]).ShouldBe(110m);
    }

    [Fact]
    public void A_recovery_to_a_new_high_does_not_erase_the_earlier_drawdown()
    {
        // 50 → -25 (fall of 75), then up to 500: the worst fall stays 75.
        LeaderPerformance.MaxDrawdownOf([50m, -75m, 525m]).ShouldBe(75m);
    }

    [Fact]
    public void Losses_from_the_start_count_from_zero()
    {
        LeaderPerformance.MaxDrawdownOf([-10m, -5.25m, 3m]).ShouldBe(15.25m);
    }

    [Fact]
    public void Only_gains_have_no_drawdown()
    {
        LeaderPerformance.MaxDrawdownOf([1m, 0m, 2m, 0.000001m]).ShouldBe(0m);
    }

    [Fact]
    public void Micro_usdc_amounts_sum_exactly()
    {
        var p = LeaderPerformance.FromCloses([0.000001m, -0.000003m, 0.000001m]);

        p.RealizedPnl.ShouldBe(-0.000001m);
        p.MaxDrawdown.ShouldBe(0.000003m);
        p.WinRate.ShouldBe(2m / 3m);
    }
}
