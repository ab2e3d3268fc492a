using System.Collections.Concurrent;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Prices;

namespace VantaBot.UnitTests.Perps;

/// <summary>The paper venue against the venue contract, plus what only the paper venue promises.</summary>
public sealed class PaperPerpVenueTests : PerpVenueContractTests
{
    private PaperHarness Paper => (PaperHarness)Harness;

    protected override Task<IPerpVenueHarness> CreateHarnessAsync() => Task.FromResult<IPerpVenueHarness>(new PaperHarness(new DefaultPerpMarkets()));

    [Fact]
    public void The_venue_is_called_paper() => Venue.Name.ShouldBe("paper");

    [Fact]
    public async Task Long_eth_open_matches_hand_computed_numbers()
    {
        // Mark 3000, spread 3 bps → entry 3000.9; fee 100 · 10 · 0.0006 = 0.6 → collateral 99.4, notional 994;
        // liquidation distance = 3000.9 · (99.4 · 0.9) / (99.4 · 10) = 3000.9 · 0.09 = 270.081 → 2730.819.
        var fill = await OpenOkAsync(OpenRequest(Eth, Side.Long, collateral: 100m, leverage: 10m));

        fill.EntryPrice.ShouldBe(3000.9m);
        fill.OpenFee.ShouldBe(0.6m);
        fill.Collateral.ShouldBe(99.4m);
        fill.Notional.ShouldBe(994m);
        fill.LiquidationPrice.ShouldBe(2730.819m);
    }

    [Fact]
    public async Task Short_btc_close_matches_hand_computed_numbers()
    {
        // Mark 60000, spread 2 bps → entry 59988; fee 1000 · 0.0006 = 0.6 → collateral 99.4, notional 994.
        var open = await OpenOkAsync(OpenRequest(Btc, Side.Short, collateral: 100m, leverage: 10m));
        open.EntryPrice.ShouldBe(59988m);
        open.LiquidationPrice.ShouldBe(59988m * 1.09m);

        // Two hours later at mark 57000: exit 57011.4 (buys back above mark);
        // gross = (59988 − 57011.4) / 59988 · 994; close fee 0.5964; rollover 994 · 0.00001 · 2 = 0.01988.
        Paper.Clock.Advance(TimeSpan.FromHours(2));
        Paper.Feed.Set(Btc, 57000m);
        var close = await CloseOkAsync(CloseRequest(open));

        close.ExitPrice.ShouldBe(57011.4m);
        close.GrossPnl.ShouldBe(2976.6m * 994m / 59988m);
        close.CloseFee.ShouldBe(0.5964m);
        close.RolloverFee.ShouldBe(0.01988m);
        close.Payout.ShouldBe(99.4m + (2976.6m * 994m / 59988m) - 0.5964m - 0.01988m);
    }

    [Fact]
    public async Task A_pair_that_was_never_priced_is_not_filled()
    {
        var result = await Venue.OpenAsync(OpenRequest(Pair.Usd("LINK"), Side.Long), default);

        ShouldBeRejected(result, PerpRejectionCodes.StalePrice);
    }

    [Fact]
    public async Task A_repeat_does_not_ask_the_feed_again()
    {
        var request = OpenRequest(Eth, Side.Long);
        await OpenOkAsync(request);
        var calls = Paper.Feed.Calls;

        await OpenOkAsync(request);
        await Venue.FindOrderAsync(request.ClientOrderId, default);

        Paper.Feed.Calls.ShouldBe(calls);
    }

    [Fact]
    public async Task Static_rejections_do_not_need_a_price()
    {
        await Venue.OpenAsync(OpenRequest(Eth, Side.Long, leverage: 900m), default);
        await Venue.OpenAsync(OpenRequest(Eth, Side.Long, collateral: 1m), default);

        Paper.Feed.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task A_failing_feed_leaves_no_outcome_so_a_retry_can_fill()
    {
        var request = OpenRequest(Eth, Side.Long);
        Paper.Feed.Failure = new HttpRequestException("feed down");

        await Should.ThrowAsync<HttpRequestException>(() => Venue.OpenAsync(request, default));
        (await Venue.FindOrderAsync(request.ClientOrderId, default)).ShouldBeNull();

        Paper.Feed.Failure = null;
        (await OpenOkAsync(request)).MarkPrice.ShouldBe(3000m);
    }

    [Fact]
    public async Task A_cancelled_call_leaves_no_outcome()
    {
        var request = OpenRequest(Eth, Side.Long);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => Venue.OpenAsync(request, cts.Token));

        (await Venue.FindOrderAsync(request.ClientOrderId, default)).ShouldBeNull();
        await OpenOkAsync(request);
    }

    [Fact]
    public async Task A_restarted_process_has_forgotten_paper_orders()
    {
        var request = OpenRequest(Eth, Side.Long);
        await OpenOkAsync(request);

        var restarted = new PaperPerpVenue(Paper.Markets, Paper.Feed, Paper.Clock);

        (await restarted.FindOrderAsync(request.ClientOrderId, default)).ShouldBeNull();
    }

    [Fact]
    public async Task An_id_used_for_an_open_cannot_close()
    {
        var open = await OpenOkAsync(OpenRequest(Eth, Side.Long));
        var close = CloseRequest(open) with { ClientOrderId = open.ClientOrderId };

        ShouldBeRejected(await Venue.CloseAsync(close, default), PerpRejectionCodes.ClientOrderIdReused);
        (await Venue.FindOrderAsync(open.ClientOrderId, default))!.OpenFill.ShouldBe(open);
    }

    [Fact]
    public async Task Stop_loss_beyond_liquidation_is_rejected_when_the_cap_would_allow_it()
    {
        // A venue whose SL cap (95%) lies past its liquidation point (90% loss).
        var spec = new DefaultPerpMarkets().Find(Eth)! with { MaxStopLossFraction = 0.95m };
        await using var harness = new PaperHarness(new SingleMarket(spec));
        harness.Feed.Set(Eth, 3000m);

        // Entry 3000.9, 10x: liquidation 2730.819, SL cap 3000.9 · 0.905 = 2715.8145.
        var result = await harness.Venue.OpenAsync(OpenRequest(Eth, Side.Long, stopLoss: 2720m), default);

        ShouldBeRejected(result, PerpRejectionCodes.StopLoss);
        result.Rejection!.Message.ShouldContain("2730.819");
    }

    [Fact]
    public async Task An_open_fee_that_eats_the_collateral_is_rejected()
    {
        var spec = new DefaultPerpMarkets().Find(Eth)! with { OpenCloseFeeRate = 0.01m };
        await using var harness = new PaperHarness(new SingleMarket(spec));
        harness.Feed.Set(Eth, 3000m);

        var result = await harness.Venue.OpenAsync(OpenRequest(Eth, Side.Long, leverage: 100m), default);

        ShouldBeRejected(result, PerpRejectionCodes.Collateral);
    }

    [Fact]
    public async Task Close_of_an_unlisted_pair_or_a_broken_position_is_rejected()
    {
        var open = await OpenOkAsync(OpenRequest(Eth, Side.Long));

        ShouldBeRejected(await Venue.CloseAsync(CloseRequest(open) with { Pair = Pair.Usd("NOPE") }, default), PerpRejectionCodes.UnknownPair);
        ShouldBeRejected(await Venue.CloseAsync(CloseRequest(open) with { Collateral = 0m }, default), PerpRejectionCodes.Collateral);
        ShouldBeRejected(await Venue.CloseAsync(CloseRequest(open) with { EntryPrice = 0m }, default), PerpRejectionCodes.InvalidPosition);
        ShouldBeRejected(await Venue.CloseAsync(CloseRequest(open) with { Leverage = -1m }, default), PerpRejectionCodes.InvalidPosition);
    }

    [Fact]
    public void Default_markets_hold_the_avantis_table()
    {
        var markets = new DefaultPerpMarkets();

        markets.Markets.Select(m => m.Pair.Base).ShouldBe(["BTC", "ETH", "SOL", "ARB", "DOGE", "LINK"]);
        markets.Find(Pair.Usd("NOPE")).ShouldBeNull();

        var btc = markets.Find(Btc)!;
        btc.Standard.ShouldBe(new LeverageBounds(1m, 75m));
        btc.HighLeverage.ShouldBe(new LeverageBounds(75m, 500m));
        btc.MaxLeverage.ShouldBe(500m);
        btc.OpenCloseFeeRate.ShouldBe(0.0006m);
        btc.SpreadRate.ShouldBe(0.0002m);
        btc.RolloverFeeRatePerHour.ShouldBe(0.00001m);
        markets.Find(Eth)!.SpreadRate.ShouldBe(0.0003m);

        var sol = markets.Find(Sol)!;
        sol.HighLeverage.ShouldBeNull();
        sol.MaxLeverage.ShouldBe(75m);
        sol.SpreadRate.ShouldBe(0.0005m);

        foreach (var @base in new[] { "ARB", "DOGE", "LINK" })
        {
            var spec = markets.Find(Pair.Usd(@base))!;
            spec.Standard.ShouldBe(new LeverageBounds(1m, 50m));
            spec.HighLeverage.ShouldBeNull();
            spec.OpenCloseFeeRate.ShouldBe(0.0008m);
            spec.SpreadRate.ShouldBe(0.001m);
        }

        markets.Markets.ShouldAllBe(m =>
            m.MinPositionUsd == 100m && m.MaxGainFraction == 9m && m.MaxStopLossFraction == 0.8m && m.LiquidationRemainingFraction == 0.1m);
    }

    private sealed class PaperHarness : IPerpVenueHarness
    {
        public PaperHarness(IPerpMarketCatalog markets)
        {
            Markets = markets;
            Venue = new PaperPerpVenue(markets, Feed, Clock);
        }

        public ManualClock Clock { get; } = new();

        public FakePriceFeed Feed { get; } = new();

        public IPerpVenue Venue { get; }

        public IPerpMarketCatalog Markets { get; }

        public DateTimeOffset Now => Clock.GetUtcNow();

        public Task SetMarkAsync(Pair pair, decimal price)
        {
            Feed.Set(pair, price);
            return Task.CompletedTask;
        }

        public Task MakeStaleAsync(Pair pair)
        {
            Feed.MakeStale(pair);
            return Task.CompletedTask;
        }

        public Task AdvanceAsync(TimeSpan by)
        {
            Clock.Advance(by);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class SingleMarket(PerpMarketSpec spec) : IPerpMarketCatalog
    {
        public IReadOnlyCollection<PerpMarketSpec> Markets => [spec];

        public PerpMarketSpec? Find(Pair pair) => pair == spec.Pair ? spec : null;
    }
}

/// <summary>A price feed whose prices and staleness tests set by hand.</summary>
public sealed class FakePriceFeed : IPriceFeed
{
    private static readonly DateTimeOffset Published = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly ConcurrentDictionary<Pair, PriceReading> _readings = new();
    private int _calls;

    public IReadOnlyCollection<Pair> SupportedPairs => _readings.Keys.ToArray();

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>When set, every read throws it (an infrastructure fault, not an expected failure).</summary>
    public Exception? Failure { get; set; }

    public void Set(Pair pair, decimal price) =>
        _readings[pair] = new PriceReading(new PriceQuote(pair, price, "fake", Published, IsSimulated: true), TimeSpan.Zero, IsStale: false);

    public void MakeStale(Pair pair) =>
        _readings.AddOrUpdate(
            pair,
            _ => throw new InvalidOperationException($"{pair} was never priced."),
            (_, reading) => reading with { Age = TimeSpan.FromMinutes(5), IsStale = true });

    public Task<PriceReading?> GetPriceAsync(Pair pair, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        if (Failure is { } failure)
        {
            throw failure;
        }

        return Task.FromResult(_readings.GetValueOrDefault(pair));
    }
}
