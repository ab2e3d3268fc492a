using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.UnitTests.Prices;

public sealed class PriceFeedTests
{
    private static readonly Pair Eth = Pair.Usd("ETH");
    private static readonly Pair Btc = Pair.Usd("BTC");
    private static readonly Pair Sol = Pair.Usd("SOL");

    private readonly ManualClock _clock = new();

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public async Task Agreeing_sources_give_their_median_with_sources_and_confidence()
    {
        var a = new FakeSource("a", [Eth], (p, _) => Quote(p, 3400m, "a", Now.AddSeconds(-3)));
        var b = new FakeSource("b", [Eth], (p, _) => Quote(p, 3410m, "b", Now.AddSeconds(-1)));

        var reading = await Feed(a, b).GetPriceAsync(Eth, default);

        reading.ShouldNotBeNull();
        reading.Quote.Price.ShouldBe(3405m);
        reading.Sources.ShouldBe(["a", "b"]);
        reading.ConfiguredSources.ShouldBe(2);
        reading.Confidence.ShouldBe(1m);
        reading.Age.ShouldBe(TimeSpan.FromSeconds(3));
        reading.IsStale.ShouldBeFalse();
        a.Calls.ShouldBe(1);
        b.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task A_down_source_lowers_the_confidence_but_not_the_price()
    {
        var up = new FakeSource("up", [Eth], (p, _) => Quote(p, 3400m, "up", Now));
        var alsoUp = new FakeSource("also", [Eth], (p, _) => Quote(p, 3401m, "also", Now));
        var down = new FakeSource("down", [Eth], (_, _) => throw new HttpRequestException("down"));
        var health = new PriceSourceHealth();

        var reading = await Feed(health, up, alsoUp, down).GetPriceAsync(Eth, default);

        reading!.Quote.Price.ShouldBe(3400.5m);
        reading.Confidence.ShouldBe(0.6667m);
        health.Get("down").StatusAt(Now, TimeSpan.FromSeconds(5)).ShouldBe(SourceStatus.Down);
        health.Get("down").LastError.ShouldBe("HttpRequestException: down");
        health.Get("up").StatusAt(Now, TimeSpan.FromSeconds(5)).ShouldBe(SourceStatus.Up);
        health.Get("never").StatusAt(Now, TimeSpan.FromSeconds(5)).ShouldBe(SourceStatus.Unknown);
    }

    [Fact]
    public async Task Disagreeing_sources_make_the_pair_close_only_until_they_agree_again()
    {
        var disagree = true;
        var a = new FakeSource("a", [Eth], (p, _) => Quote(p, 3400m, "a", Now));
        var b = new FakeSource("b", [Eth], (p, _) => Quote(p, disagree ? 3600m : 3401m, "b", Now));
        var feed = Feed(a, b);

        (await feed.GetPriceAsync(Eth, default)).ShouldBeNull();
        feed.IsCloseOnly(Eth, out var state).ShouldBeTrue();
        state!.Reason.ShouldContain("sources disagree");

        disagree = false;
        _clock.Advance(TimeSpan.FromSeconds(1));
        var agreed = await feed.GetPriceAsync(Eth, default);
        agreed!.IsStale.ShouldBeFalse();
        feed.IsCloseOnly(Eth, out _).ShouldBeFalse();
        feed.CloseOnlyPairs.ShouldBeEmpty();

        // Disagreement after an agreed price: the agreed one is served, stale, with the reason.
        disagree = true;
        _clock.Advance(TimeSpan.FromSeconds(1));
        var split = await feed.GetPriceAsync(Eth, default);
        split!.IsStale.ShouldBeTrue();
        split.Quote.Price.ShouldBe(3400.5m);
        split.StaleReason!.ShouldContain("sources disagree");
        split.Confidence.ShouldBe(0m);
        feed.CloseOnlyPairs.ShouldHaveSingleItem().Pair.ShouldBe(Eth);
    }

    [Fact]
    public async Task A_source_is_asked_at_most_once_per_fetch_interval()
    {
        var a = new FakeSource("a", [Eth], (p, _) => Quote(p, 3400m, "a", Now));
        var feed = Feed(a);

        await feed.GetPriceAsync(Eth, default);
        await feed.GetPriceAsync(Eth, default);
        a.Calls.ShouldBe(1);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await feed.GetPriceAsync(Eth, default);
        a.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task A_throwing_source_is_skipped_and_the_others_still_used()
    {
        var broken = new FakeSource("broken", [Eth], (_, _) => throw new HttpRequestException("down"));
        var timedOut = new FakeSource("slow", [Eth], (_, _) => throw new TaskCanceledException("timeout, not the caller"));
        var good = new FakeSource("good", [Eth], (p, _) => Quote(p, 3400m, "good", Now));

        var reading = await Feed(broken, timedOut, good).GetPriceAsync(Eth, default);

        reading.ShouldNotBeNull();
        reading.Quote.Source.ShouldBe("good");
        reading.Confidence.ShouldBe(0.3333m);
        broken.Calls.ShouldBe(1);
        timedOut.Calls.ShouldBe(1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-0.000001)]
    public async Task Non_positive_prices_are_ignored(double price)
    {
        var bad = new FakeSource("bad", [Eth], (p, _) => Quote(p, (decimal)price, "bad", Now));
        var good = new FakeSource("good", [Eth], (p, _) => Quote(p, 3400m, "good", Now.AddSeconds(-2)));
        var health = new PriceSourceHealth();
        (await Feed(health, bad).GetPriceAsync(Eth, default)).ShouldBeNull();
        health.Get("bad").LastError!.ShouldStartWith("absurd price");

        var reading = await Feed(bad, good).GetPriceAsync(Eth, default);

        reading!.Quote.Source.ShouldBe("good");
    }

    [Fact]
    public async Task A_source_returning_null_is_ignored()
    {
        var empty = new FakeSource("empty", [Eth], (_, _) => null);
        var good = new FakeSource("good", [Eth], (p, _) => Quote(p, 3400m, "good", Now));

        (await Feed(empty, good).GetPriceAsync(Eth, default))!.Quote.Source.ShouldBe("good");
        (await Feed(empty).GetPriceAsync(Eth, default)).ShouldBeNull();
    }

    [Fact]
    public async Task Smallest_positive_price_is_accepted()
    {
        var tiny = new FakeSource("tiny", [Eth], (p, _) => Quote(p, 0.000001m, "tiny", Now));
        (await Feed(tiny).GetPriceAsync(Eth, default))!.Quote.Price.ShouldBe(0.000001m);
    }

    [Fact]
    public async Task When_every_source_fails_the_last_known_quote_is_served_and_becomes_stale_after_max_age()
    {
        var failing = false;
        var source = new FakeSource("a", [Eth], (p, _) => failing ? throw new HttpRequestException("down") : Quote(p, 3400m, "a", Now));
        var feed = Feed(source);
        var publishedAt = Now;

        (await feed.GetPriceAsync(Eth, default))!.IsStale.ShouldBeFalse();
        failing = true;

        // Exactly at the limit: not yet stale.
        _clock.Advance(TimeSpan.FromSeconds(5));
        var atLimit = await feed.GetPriceAsync(Eth, default);
        atLimit.ShouldNotBeNull();
        atLimit.Quote.PublishedAt.ShouldBe(publishedAt);
        atLimit.Age.ShouldBe(TimeSpan.FromSeconds(5));
        atLimit.IsStale.ShouldBeFalse();

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var justOver = await feed.GetPriceAsync(Eth, default);
        justOver!.IsStale.ShouldBeTrue();
        justOver.Age.ShouldBe(TimeSpan.FromMilliseconds(5001));
        justOver.Quote.Price.ShouldBe(3400m);

        _clock.Advance(TimeSpan.FromMinutes(10));
        var muchLater = await feed.GetPriceAsync(Eth, default);
        muchLater!.IsStale.ShouldBeTrue();
        muchLater.Age.ShouldBe(TimeSpan.FromMinutes(10) + TimeSpan.FromMilliseconds(5001));

        // A source recovering replaces the stale quote.
        failing = false;
        var recovered = await feed.GetPriceAsync(Eth, default);
        recovered!.IsStale.ShouldBeFalse();
        recovered.Age.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_quote_that_is_already_old_when_fetched_never_becomes_a_price()
    {
        var lagging = new FakeSource("lagging", [Eth], (p, _) => Quote(p, 3400m, "lagging", Now.AddSeconds(-30)));
        var feed = Feed(lagging);
        (await feed.GetPriceAsync(Eth, default)).ShouldBeNull();
        feed.IsCloseOnly(Eth, out var state).ShouldBeTrue();
        state!.Reason.ShouldBe("no source has a fresh quote");
    }

    [Fact]
    public async Task A_quote_from_the_future_has_age_zero()
    {
        var skewed = new FakeSource("skewed", [Eth], (p, _) => Quote(p, 3400m, "skewed", Now.AddSeconds(2)));
        var reading = await Feed(skewed).GetPriceAsync(Eth, default);
        reading!.Age.ShouldBe(TimeSpan.Zero);
        reading.IsStale.ShouldBeFalse();
    }

    [Fact]
    public async Task A_pair_never_priced_gives_null()
    {
        var failing = new FakeSource("a", [Eth], (_, _) => throw new HttpRequestException("down"));
        (await Feed(failing).GetPriceAsync(Eth, default)).ShouldBeNull();
        failing.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task Unsupported_pair_gives_null_without_asking_any_source()
    {
        var a = new FakeSource("a", [Eth], (p, _) => Quote(p, 1m, "a", Now));
        var b = new FakeSource("b", [Btc], (p, _) => Quote(p, 1m, "b", Now));

        (await Feed(a, b).GetPriceAsync(Sol, default)).ShouldBeNull();

        a.Calls.ShouldBe(0);
        b.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task Only_sources_supporting_the_pair_are_asked()
    {
        var a = new FakeSource("a", [Eth], (p, _) => Quote(p, 1m, "a", Now));
        var b = new FakeSource("b", [Btc], (p, _) => Quote(p, 2m, "b", Now));

        var reading = await Feed(a, b).GetPriceAsync(Btc, default);
        reading!.Quote.Source.ShouldBe("b");
        reading.ConfiguredSources.ShouldBe(1);

        a.Calls.ShouldBe(0);
        b.Calls.ShouldBe(1);
    }

    [Fact]
    public void Supported_pairs_are_the_distinct_union()
    {
        var a = new FakeSource("a", [Eth, Btc], (_, _) => null);
        var b = new FakeSource("b", [Pair.Usd("eth"), Sol], (_, _) => null);

        var feed = Feed(a, b);

        feed.SupportedPairs.Count.ShouldBe(3);
        feed.SupportedPairs.ShouldBe([Btc, Eth, Sol], ignoreOrder: true);
        Feed().SupportedPairs.ShouldBeEmpty();
    }

    [Fact]
    public async Task Caller_cancellation_propagates()
    {
        using var cts = new CancellationTokenSource();
        var second = new FakeSource("second", [Eth], (p, _) => Quote(p, 1m, "second", Now));
        var cancelling = new FakeSource("first", [Eth], (_, ct) =>
        {
            cts.Cancel();
            ct.ThrowIfCancellationRequested();
            return null;
        });

        // Sources are asked together, so the other one may have answered; the caller still sees the cancellation.
        await Should.ThrowAsync<OperationCanceledException>(() => Feed(cancelling, second).GetPriceAsync(Eth, cts.Token));
    }

    [Fact]
    public async Task An_already_cancelled_token_propagates_from_a_source_that_honours_it()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var source = new FakeSource("a", [Eth], (_, ct) =>
        {
            ct.ThrowIfCancellationRequested();
            return null;
        });

        await Should.ThrowAsync<OperationCanceledException>(() => Feed(source).GetPriceAsync(Eth, cts.Token));
    }

    private PriceFeed Feed(params IPriceSource[] sources) => Feed(new PriceSourceHealth(), sources);

    private PriceFeed Feed(PriceSourceHealth health, params IPriceSource[] sources) =>
        new(sources, Options.Create(new PriceFeedOptions { MaxQuoteAge = TimeSpan.FromSeconds(5) }), health, _clock, NullLogger<PriceFeed>.Instance);

    private static PriceQuote Quote(Pair pair, decimal price, string source, DateTimeOffset at) =>
        new(pair, price, source, at, IsSimulated: false);

    private sealed class FakeSource(string name, IReadOnlyCollection<Pair> pairs, Func<Pair, CancellationToken, PriceQuote?> quote) : IPriceSource
    {
        public int Calls { get; private set; }

        public string Name => name;

        public bool IsSimulated => false;

        public IReadOnlyCollection<Pair> SupportedPairs => pairs;

        public async Task<PriceQuote?> GetQuoteAsync(Pair pair, CancellationToken cancellationToken)
        {
            Calls++;
            await Task.Yield();
            return quote(pair, cancellationToken);
        }
    }
}
