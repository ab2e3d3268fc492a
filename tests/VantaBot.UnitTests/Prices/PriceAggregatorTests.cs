using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.UnitTests.Prices;

public sealed class PriceAggregatorTests
{
    private static readonly Pair Eth = Pair.Usd("ETH");
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private readonly PriceAggregator _aggregator = new(new PriceFeedOptions { MaxQuoteAge = TimeSpan.FromSeconds(5), MaxDeviationFraction = 0.005m, MaxJumpFraction = 0.10m });

    [Fact]
    public void Three_agreeing_sources_give_their_median_dated_by_the_oldest()
    {
        var result = Aggregate(Q("pyth", 3400m, -1), Q("coinbase", 3402m, -2), Q("binance", 3401m, 0));

        result.Consensus.ShouldNotBeNull();
        result.Consensus.Price.ShouldBe(3401m);
        result.Consensus.PublishedAt.ShouldBe(Now.AddSeconds(-2));
        result.Consensus.Source.ShouldBe("binance+coinbase+pyth");
        result.Agreeing.Count.ShouldBe(3);
        result.Rejected.ShouldBeEmpty();
    }

    [Fact]
    public void An_outlier_beyond_half_a_percent_is_dropped_and_named()
    {
        var result = Aggregate(Q("pyth", 3400m), Q("coinbase", 3401m), Q("binance", 3420m));

        result.Consensus!.Price.ShouldBe(3400.5m);
        result.Agreeing.Select(q => q.Source).ShouldBe(["pyth", "coinbase"], ignoreOrder: true);
        var dropped = result.Rejected.ShouldHaveSingleItem();
        dropped.Quote.Source.ShouldBe("binance");
        dropped.Reason.ShouldContain("outlier");
        dropped.Reason.ShouldContain("0.56%");
    }

    [Fact]
    public void A_thousandfold_jump_of_one_source_is_outvoted()
    {
        var result = Aggregate(Q("pyth", 3_400_000m), Q("coinbase", 3401m), Q("binance", 3400m));

        result.Consensus!.Price.ShouldBe(3400.5m);
        result.Rejected.ShouldHaveSingleItem().Quote.Source.ShouldBe("pyth");
    }

    [Fact]
    public void Exactly_at_the_deviation_limit_still_agrees()
    {
        // Median of 1000 and 1010 is 1005; each is 0.4975% away.
        Aggregate(Q("a", 1000m), Q("b", 1010m)).Consensus!.Price.ShouldBe(1005m);

        // Three quotes, median 1000: 1005 is exactly 0.5% away and stays; 1005.01 is over and goes.
        Aggregate(Q("a", 1000m), Q("b", 995m), Q("c", 1005m)).Agreeing.Count.ShouldBe(3);
        Aggregate(Q("a", 1000m), Q("b", 1000m), Q("c", 1005.01m)).Agreeing.Count.ShouldBe(2);
    }

    [Fact]
    public void Stale_quotes_take_no_part_and_all_stale_gives_no_price()
    {
        var mixed = Aggregate(Q("pyth", 3400m, -6), Q("coinbase", 3401m, -1), Q("binance", 3402m, -5));
        mixed.Consensus!.Price.ShouldBe(3401.5m);
        mixed.Rejected.ShouldHaveSingleItem().Reason.ShouldStartWith("stale (6.0 s old)");

        var allStale = Aggregate(Q("pyth", 3400m, -6), Q("coinbase", 3401m, -30));
        allStale.Consensus.ShouldBeNull();
        allStale.NoPriceReason.ShouldBe("no source has a fresh quote");
        allStale.Rejected.Count.ShouldBe(2);
    }

    [Fact]
    public void No_quotes_at_all_give_no_price()
    {
        var none = _aggregator.Aggregate(Eth, [], Now, lastConsensus: null);
        none.Consensus.ShouldBeNull();
        none.NoPriceReason.ShouldBe("no source answered");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3400)]
    public void Absurd_prices_are_dropped(int price)
    {
        var result = Aggregate(Q("pyth", price), Q("coinbase", 3400m));
        result.Consensus!.Price.ShouldBe(3400m);
        result.Rejected.ShouldHaveSingleItem().Reason.ShouldStartWith("absurd price");
    }

    [Fact]
    public void One_source_alone_prices_when_it_is_the_only_one_answering()
    {
        var result = Aggregate(Q("coinbase", 3400m));
        result.Consensus!.Price.ShouldBe(3400m);
        result.Consensus.Source.ShouldBe("coinbase");
    }

    [Fact]
    public void Two_sources_that_disagree_split_the_vote_and_nobody_prices()
    {
        var result = Aggregate(Q("pyth", 3400m), Q("coinbase", 3500m));

        result.Consensus.ShouldBeNull();
        result.NoPriceReason.ShouldBe("sources disagree: only 0 of 2 fresh quotes lie within 0.5% of their median");
        result.Rejected.Count.ShouldBe(2);
    }

    [Fact]
    public void Three_sources_all_apart_split_the_vote()
    {
        var result = Aggregate(Q("pyth", 3400m), Q("coinbase", 3450m), Q("binance", 3500m));
        result.Consensus.ShouldBeNull();
        result.NoPriceReason!.ShouldContain("only 1 of 3");
    }

    [Fact]
    public void Two_against_two_is_a_split_vote()
    {
        var result = Aggregate(Q("a", 100m), Q("b", 100m), Q("c", 110m), Q("d", 110m));
        result.Consensus.ShouldBeNull();
    }

    [Fact]
    public void A_lone_quote_jumping_far_from_the_last_agreed_price_is_refused_until_the_reference_ages_out()
    {
        var last = new PriceQuote(Eth, 3400m, "pyth+coinbase", Now.AddSeconds(-10), IsSimulated: false);

        var jumped = _aggregator.Aggregate(Eth, [Q("binance", 3_400_000m)], Now, last);
        jumped.Consensus.ShouldBeNull();
        jumped.NoPriceReason.ShouldBe("binance alone reports a 99900% jump and no other source confirms it");

        // Within the jump limit a lone source still prices.
        _aggregator.Aggregate(Eth, [Q("binance", 3600m)], Now, last).Consensus!.Price.ShouldBe(3600m);

        // A reference older than a minute no longer holds a lone quote back.
        var old = last with { PublishedAt = Now - PriceAggregator.JumpReferenceWindow - TimeSpan.FromSeconds(1) };
        _aggregator.Aggregate(Eth, [Q("binance", 5000m)], Now, old).Consensus!.Price.ShouldBe(5000m);
    }

    [Fact]
    public void A_corroborated_move_is_not_held_back_by_the_jump_rule()
    {
        var last = new PriceQuote(Eth, 3400m, "pyth", Now.AddSeconds(-2), IsSimulated: false);
        _aggregator.Aggregate(Eth, [Q("pyth", 4000m), Q("coinbase", 4001m)], Now, last).Consensus!.Price.ShouldBe(4000.5m);
    }

    [Fact]
    public void A_simulated_quote_marks_the_agreed_price_simulated()
    {
        var result = _aggregator.Aggregate(Eth, [new PriceQuote(Eth, 3400m, "simulated", Now, IsSimulated: true)], Now, null);
        result.Consensus!.IsSimulated.ShouldBeTrue();
    }

    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 1.0, 3.0 }, 2.0)]
    [InlineData(new[] { 5.0, 1.0, 3.0 }, 3.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    public void Median(double[] values, double expected) =>
        PriceAggregator.Median(values.Select(v => (decimal)v)).ShouldBe((decimal)expected);

    private PriceAggregate Aggregate(params PriceQuote[] quotes) => _aggregator.Aggregate(Eth, quotes, Now, lastConsensus: null);

    private static PriceQuote Q(string source, decimal price, int ageSeconds = 0) =>
        new(Eth, price, source, Now.AddSeconds(ageSeconds), IsSimulated: false);
}
