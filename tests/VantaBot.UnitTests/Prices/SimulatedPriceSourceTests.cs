using VantaBot.Infrastructure.Prices;
using VantaBot.Trading.Markets;

namespace VantaBot.UnitTests.Prices;

public sealed class SimulatedPriceSourceTests
{
    private const decimal MaxStep = 0.001m;

    private static readonly Pair Eth = Pair.Usd("ETH");

    private readonly ManualClock _clock = new();

    [Fact]
    public async Task Quotes_are_simulated_and_labelled()
    {
        var source = new SimulatedPriceSource(_clock, seed: 42);
        source.IsSimulated.ShouldBeTrue();
        source.Name.ShouldBe("simulated");

        foreach (var pair in source.SupportedPairs)
        {
            var quote = await source.GetQuoteAsync(pair, default);
            quote.ShouldNotBeNull();
            quote.IsSimulated.ShouldBeTrue();
            quote.Source.ShouldBe("simulated");
            quote.Pair.ShouldBe(pair);
            quote.PublishedAt.ShouldBe(_clock.GetUtcNow());
            quote.Price.ShouldBeGreaterThan(0m);
        }
    }

    [Fact]
    public void Supports_the_six_starting_pairs() =>
        new SimulatedPriceSource(_clock, seed: 1).SupportedPairs.Select(p => p.Base)
            .ShouldBe(["BTC", "ETH", "SOL", "ARB", "DOGE", "LINK"], ignoreOrder: true);

    [Fact]
    public async Task Without_time_passing_the_price_does_not_move()
    {
        var source = new SimulatedPriceSource(_clock, seed: 42);
        var first = await source.GetQuoteAsync(Eth, default);
        first!.Price.ShouldBe(3400m);
        for (var i = 0; i < 20; i++)
        {
            (await source.GetQuoteAsync(Eth, default))!.Price.ShouldBe(3400m);
        }

        // Less than a whole second is not a step either, and is not lost.
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        (await source.GetQuoteAsync(Eth, default))!.Price.ShouldBe(3400m);
    }

    [Fact]
    public async Task Each_second_moves_the_price_by_at_most_ten_basis_points()
    {
        var source = new SimulatedPriceSource(_clock, seed: 7);
        var previous = (await source.GetQuoteAsync(Eth, default))!.Price;
        var moved = false;
        for (var i = 0; i < 500; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            var price = (await source.GetQuoteAsync(Eth, default))!.Price;
            WithinSteps(previous, price, 1).ShouldBeTrue($"step {i}: {previous} -> {price}");
            moved |= price != previous;
            previous = price;
        }

        moved.ShouldBeTrue();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(60)]
    [InlineData(3600)]
    public async Task After_n_seconds_the_move_is_bounded_by_compounded_steps(int seconds)
    {
        foreach (var pair in new SimulatedPriceSource(_clock, seed: 0).SupportedPairs)
        {
            for (var seed = 0; seed < 5; seed++)
            {
                var clock = new ManualClock();
                var source = new SimulatedPriceSource(clock, seed);
                var start = (await source.GetQuoteAsync(pair, default))!.Price;
                clock.Advance(TimeSpan.FromSeconds(seconds));
                var end = (await source.GetQuoteAsync(pair, default))!.Price;
                WithinSteps(start, end, seconds).ShouldBeTrue($"{pair} seed {seed}: {start} -> {end} in {seconds} s");
            }
        }
    }

    [Fact]
    public async Task Catch_up_is_capped_at_3600_steps_per_call()
    {
        var capped = new SimulatedPriceSource(_clock, seed: 3);
        var start = (await capped.GetQuoteAsync(Eth, default))!.Price;
        _clock.Advance(TimeSpan.FromHours(10));
        var afterTenHours = (await capped.GetQuoteAsync(Eth, default))!.Price;

        // Same seed, exactly one hour: the same 3600 draws.
        var clock = new ManualClock();
        var oneHour = new SimulatedPriceSource(clock, seed: 3);
        (await oneHour.GetQuoteAsync(Eth, default))!.Price.ShouldBe(start);
        clock.Advance(TimeSpan.FromHours(1));
        (await oneHour.GetQuoteAsync(Eth, default))!.Price.ShouldBe(afterTenHours);
    }

    [Fact]
    public async Task Prices_stay_positive_over_ten_thousand_seconds()
    {
        var source = new SimulatedPriceSource(_clock, seed: 12345);
        var pairs = source.SupportedPairs.ToArray();
        for (var elapsed = 0; elapsed < 10_000; elapsed += 500)
        {
            _clock.Advance(TimeSpan.FromSeconds(500));
            foreach (var pair in pairs)
            {
                (await source.GetQuoteAsync(pair, default))!.Price.ShouldBeGreaterThan(0m, pair.ToString());
            }
        }
    }

    [Fact]
    public async Task Cheap_assets_keep_six_decimals_and_expensive_ones_two()
    {
        var source = new SimulatedPriceSource(_clock, seed: 9);
        _clock.Advance(TimeSpan.FromSeconds(100));
        var arb = (await source.GetQuoteAsync(Pair.Usd("ARB"), default))!.Price;
        var btc = (await source.GetQuoteAsync(Pair.Usd("BTC"), default))!.Price;
        Math.Round(arb, 6).ShouldBe(arb);
        Math.Round(btc, 2).ShouldBe(btc);
    }

    [Fact]
    public async Task Unsupported_pair_gives_null()
    {
        var source = new SimulatedPriceSource(_clock, seed: 1);
        (await source.GetQuoteAsync(Pair.Usd("XYZ"), default)).ShouldBeNull();
        source.SupportedPairs.ShouldNotContain(Pair.Usd("XYZ"));
    }

    [Fact]
    public async Task Same_seed_gives_the_same_sequence()
    {
        var a = await Walk(seed: 2026);
        var b = await Walk(seed: 2026);
        var c = await Walk(seed: 2027);

        a.ShouldBe(b);
        c.ShouldNotBe(a);
    }

    private static async Task<decimal[]> Walk(int seed)
    {
        var clock = new ManualClock();
        var source = new SimulatedPriceSource(clock, seed);
        var prices = new List<decimal>();
        for (var i = 0; i < 50; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(3));
            foreach (var pair in new[] { Eth, Pair.Usd("DOGE") })
            {
                prices.Add((await source.GetQuoteAsync(pair, default))!.Price);
            }
        }

        return [.. prices];
    }

    // (1 ± 0.1%)^n, widened by half a unit of the last displayed decimal per step for the rounding each step applies.
    private static bool WithinSteps(decimal from, decimal to, int steps)
    {
        var up = (double)from * Math.Pow(1 + (double)MaxStep, steps);
        var down = (double)from * Math.Pow(1 - (double)MaxStep, steps);
        var rounding = steps * HalfUnit(Math.Max(up, (double)to));
        var price = (double)to;
        return price <= up + rounding && price >= down - rounding;
    }

    private static double HalfUnit(double price) => price switch
    {
        >= 1_000 => 0.005,
        >= 1 => 0.00005,
        _ => 0.0000005,
    };
}
