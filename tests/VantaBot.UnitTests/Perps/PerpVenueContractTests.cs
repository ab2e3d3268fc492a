using System.Globalization;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;

namespace VantaBot.UnitTests.Perps;

/// <summary>
/// What a test needs to drive a perps venue: the venue, the market data it trades by, and control over the mark
/// price and the clock. A live-venue harness (a forked chain with a settable oracle) implements the same members.
/// </summary>
public interface IPerpVenueHarness : IAsyncDisposable
{
    IPerpVenue Venue { get; }

    /// <summary>The pair specs the venue enforces (for a live venue: what it reports).</summary>
    IPerpMarketCatalog Markets { get; }

    DateTimeOffset Now { get; }

    /// <summary>Publishes a fresh mark price for the pair.</summary>
    Task SetMarkAsync(Pair pair, decimal price);

    /// <summary>Lets the pair's price go stale (the last known one is still there, too old to trade on).</summary>
    Task MakeStaleAsync(Pair pair);

    /// <summary>Moves the venue's clock forward. Prices published before may go stale: tests publish again.</summary>
    Task AdvanceAsync(TimeSpan by);
}

/// <summary>
/// The contract every <see cref="IPerpVenue"/> passes, paper or live. Expected numbers come from the harness's
/// market specs so the same suite holds for any venue listing Avantis-like pairs (BTC/ETH with a high-leverage
/// group, SOL standard to 75x, ARB to 50x).
/// </summary>
public abstract class PerpVenueContractTests : IAsyncLifetime
{
    protected static readonly Pair Btc = Pair.Usd("BTC");
    protected static readonly Pair Eth = Pair.Usd("ETH");
    protected static readonly Pair Sol = Pair.Usd("SOL");
    protected static readonly Pair Arb = Pair.Usd("ARB");

    private IPerpVenueHarness? _harness;

    protected IPerpVenueHarness Harness => _harness ?? throw new InvalidOperationException("Harness not created yet.");

    protected IPerpVenue Venue => Harness.Venue;

    protected abstract Task<IPerpVenueHarness> CreateHarnessAsync();

    public async Task InitializeAsync()
    {
        _harness = await CreateHarnessAsync();
        foreach (var pair in new[] { Btc, Eth, Sol, Arb })
        {
            await Harness.SetMarkAsync(pair, StartingMark(pair));
        }
    }

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    protected PerpMarketSpec Spec(Pair pair) => Harness.Markets.Find(pair) ?? throw new InvalidOperationException($"{pair} not listed.");

    /// <summary>
    /// An open checked against the pair's starting mark with a wide slippage, so tests that move the mark are
    /// about their own subject; the slippage tests below pass their own expectation.
    /// </summary>
    protected static PerpOpenRequest OpenRequest(
        Pair pair, Side side, decimal collateral = 100m, decimal leverage = 10m, decimal? takeProfit = null, decimal? stopLoss = null,
        decimal? expectedEntry = null, decimal maxSlippage = 1m) =>
        new(IntentId.New(), pair, side, collateral, leverage, takeProfit, stopLoss, expectedEntry ?? StartingMark(pair), maxSlippage);

    private static decimal StartingMark(Pair pair) => pair.Base switch
    {
        "BTC" => 60000m,
        "ETH" => 3000m,
        "SOL" => 150m,
        "ARB" => 1m,
        _ => 1m,
    };

    protected static PerpCloseRequest CloseRequest(PerpOpenFill open, decimal fraction = 1m) =>
        new(IntentId.New(), open.Pair, open.Side, open.EntryPrice, open.Collateral, open.Leverage, open.FilledAt, fraction);

    protected async Task<PerpOpenFill> OpenOkAsync(PerpOpenRequest request)
    {
        var result = await Venue.OpenAsync(request, default);
        result.Rejection.ShouldBeNull();
        result.IsSuccess.ShouldBeTrue();
        return result.Value!;
    }

    protected async Task<PerpCloseFill> CloseOkAsync(PerpCloseRequest request)
    {
        var result = await Venue.CloseAsync(request, default);
        result.Rejection.ShouldBeNull();
        return result.Value!;
    }

    protected static void ShouldBeRejected<T>(VenueResult<T> result, string code)
        where T : class
    {
        result.IsSuccess.ShouldBeFalse();
        result.Value.ShouldBeNull();
        result.Rejection.ShouldNotBeNull();
        result.Rejection.Code.ShouldBe(code);
        result.Rejection.Message.ShouldNotBeNullOrWhiteSpace();
    }

    private static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    // ---- open ----

    [Theory]
    [InlineData(Side.Long, 3030.00)]
    [InlineData(Side.Short, 2970.00)]
    public async Task Open_refuses_a_fill_that_moved_against_the_trader_beyond_the_slippage(Side side, double movedMark)
    {
        // Checked at an entry from a mark of 3000; the mark then moved 1% against the trader, the slippage allows 0.5%.
        var spec = Spec(Eth);
        var checkedEntry = PerpMath.EntryPrice(3000m, side, spec.SpreadRate);
        await Harness.SetMarkAsync(Eth, (decimal)movedMark);

        var result = await Venue.OpenAsync(OpenRequest(Eth, side, expectedEntry: checkedEntry, maxSlippage: 0.005m), default);

        ShouldBeRejected(result, PerpRejectionCodes.PriceMoved);
        result.Rejection!.Message.ShouldContain("0.5%");
    }

    [Theory]
    [InlineData(Side.Long, 2970.00)]
    [InlineData(Side.Short, 3030.00)]
    public async Task Open_accepts_a_fill_better_for_the_trader_however_far(Side side, double movedMark)
    {
        var spec = Spec(Eth);
        var checkedEntry = PerpMath.EntryPrice(3000m, side, spec.SpreadRate);
        await Harness.SetMarkAsync(Eth, (decimal)movedMark);

        var fill = await OpenOkAsync(OpenRequest(Eth, side, expectedEntry: checkedEntry, maxSlippage: 0.005m));

        fill.MarkPrice.ShouldBe((decimal)movedMark);
    }

    [Fact]
    public async Task Open_accepts_an_adverse_move_within_the_slippage()
    {
        var spec = Spec(Eth);
        var checkedEntry = PerpMath.EntryPrice(3000m, Side.Long, spec.SpreadRate);
        await Harness.SetMarkAsync(Eth, 3012m);

        var fill = await OpenOkAsync(OpenRequest(Eth, Side.Long, expectedEntry: checkedEntry, maxSlippage: 0.005m));

        fill.EntryPrice.ShouldBe(PerpMath.EntryPrice(3012m, Side.Long, spec.SpreadRate));
    }

    [Theory]
    [InlineData(Side.Long)]
    [InlineData(Side.Short)]
    public async Task Open_fills_at_mark_plus_spread_with_the_fee_taken_from_collateral(Side side)
    {
        var spec = Spec(Eth);
        var request = OpenRequest(Eth, side, collateral: 100m, leverage: 10m);

        var fill = await OpenOkAsync(request);

        var entry = side == Side.Long ? 3000m * (1m + spec.SpreadRate) : 3000m * (1m - spec.SpreadRate);
        var fee = 100m * 10m * spec.OpenCloseFeeRate;
        var collateral = 100m - fee;
        var distance = entry * (collateral * (1m - spec.LiquidationRemainingFraction)) / (collateral * 10m);
        fill.ClientOrderId.ShouldBe(request.ClientOrderId);
        fill.Pair.ShouldBe(Eth);
        fill.Side.ShouldBe(side);
        fill.MarkPrice.ShouldBe(3000m);
        fill.EntryPrice.ShouldBe(entry);
        (side == Side.Long ? fill.EntryPrice > 3000m : fill.EntryPrice < 3000m).ShouldBeTrue();
        fill.OpenFee.ShouldBe(fee);
        fill.Collateral.ShouldBe(collateral);
        fill.Leverage.ShouldBe(10m);
        fill.Notional.ShouldBe(collateral * 10m);
        fill.LiquidationPrice.ShouldBe(side == Side.Long ? entry - distance : entry + distance);
        fill.FilledAt.ShouldBe(Harness.Now);
    }

    [Fact]
    public async Task Open_with_a_missing_or_stale_price_is_rejected()
    {
        await Harness.MakeStaleAsync(Eth);

        var result = await Venue.OpenAsync(OpenRequest(Eth, Side.Long), default);

        ShouldBeRejected(result, PerpRejectionCodes.StalePrice);
        result.Rejection!.Message.ShouldContain("ETH/USD");
    }

    [Fact]
    public async Task Unknown_pair_is_rejected()
    {
        var result = await Venue.OpenAsync(OpenRequest(Pair.Usd("NOPE"), Side.Long), default);

        ShouldBeRejected(result, PerpRejectionCodes.UnknownPair);
        result.Rejection!.Message.ShouldContain("NOPE/USD");
    }

    [Theory]
    [InlineData("BTC", "0.5", "1–75x")]
    [InlineData("BTC", "0", "1–75x")]
    [InlineData("BTC", "-10", "1–75x")]
    [InlineData("BTC", "501", "75–500x")]
    [InlineData("ETH", "1000", "75–500x")]
    [InlineData("SOL", "76", "1–75x")]
    [InlineData("SOL", "100", "1–75x")]
    [InlineData("ARB", "51", "1–50x")]
    public async Task Leverage_outside_every_group_is_rejected_naming_the_bounds(string @base, string leverage, string bounds)
    {
        var result = await Venue.OpenAsync(OpenRequest(Pair.Usd(@base), Side.Long, collateral: 1000m, leverage: D(leverage)), default);

        ShouldBeRejected(result, PerpRejectionCodes.LeverageBounds);
        result.Rejection!.Message.ShouldContain(bounds);
        result.Rejection.Message.ShouldContain(leverage + "x");
    }

    [Theory]
    [InlineData("BTC", "1")]
    [InlineData("BTC", "75")]
    [InlineData("BTC", "100")]
    [InlineData("BTC", "500")]
    [InlineData("ETH", "250")]
    [InlineData("SOL", "75")]
    [InlineData("SOL", "2.5")]
    [InlineData("ARB", "50")]
    public async Task Leverage_inside_a_group_fills(string @base, string leverage)
    {
        var fill = await OpenOkAsync(OpenRequest(Pair.Usd(@base), Side.Short, collateral: 1000m, leverage: D(leverage)));

        fill.Leverage.ShouldBe(D(leverage));
        fill.LiquidationPrice.ShouldBeGreaterThan(fill.EntryPrice);
    }

    [Fact]
    public async Task Seventy_five_x_belongs_to_the_standard_group()
    {
        Spec(Btc).BoundsFor(75m).ShouldBe(Spec(Btc).Standard);
        Spec(Btc).BoundsFor(75.5m).ShouldBe(Spec(Btc).HighLeverage);
        (await OpenOkAsync(OpenRequest(Btc, Side.Long, leverage: 75m))).Leverage.ShouldBe(75m);
    }

    [Fact]
    public async Task Notional_below_the_minimum_is_rejected()
    {
        var result = await Venue.OpenAsync(OpenRequest(Eth, Side.Long, collateral: 9m, leverage: 10m), default);

        ShouldBeRejected(result, PerpRejectionCodes.MinPosition);
        result.Rejection!.Message.ShouldContain("90");
        result.Rejection.Message.ShouldContain(Spec(Eth).MinPositionUsd.ToString("0", CultureInfo.InvariantCulture));

        // Exactly the minimum (posted × leverage) is accepted.
        await OpenOkAsync(OpenRequest(Eth, Side.Long, collateral: 10m, leverage: 10m));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-100")]
    public async Task Non_positive_collateral_is_rejected(string collateral)
    {
        var result = await Venue.OpenAsync(OpenRequest(Eth, Side.Long, collateral: D(collateral)), default);

        ShouldBeRejected(result, PerpRejectionCodes.Collateral);
    }

    [Fact]
    public async Task Take_profit_beyond_the_cap_or_on_the_wrong_side_is_rejected()
    {
        var spec = Spec(Eth);
        var longEntry = 3000m * (1m + spec.SpreadRate);
        var longCap = longEntry * (1m + (spec.MaxGainFraction / 10m));
        var shortEntry = 3000m * (1m - spec.SpreadRate);
        var shortCap = shortEntry * (1m - (spec.MaxGainFraction / 10m));

        ShouldBeRejected(await Venue.OpenAsync(OpenRequest(Eth, Side.Long, takeProfit: longCap + 1m), default), PerpRejectionCodes.TakeProfit);
        ShouldBeRejected(await Venue.OpenAsync(OpenRequest(Eth, Side.Long, takeProfit: 2900m), default), PerpRejectionCodes.TakeProfit);
        ShouldBeRejected(await Venue.OpenAsync(OpenRequest(Eth, Side.Short, takeProfit: shortCap - 1m), default), PerpRejectionCodes.TakeProfit);
        ShouldBeRejected(await Venue.OpenAsync(OpenRequest(Eth, Side.Short, takeProfit: 3100m), default), PerpRejectionCodes.TakeProfit);

        var capped = await Venue.OpenAsync(OpenRequest(Eth, Side.Long, takeProfit: 9000m), default);
        capped.Rejection!.Message.ShouldContain("900%");

        await OpenOkAsync(OpenRequest(Eth, Side.Long, takeProfit: longCap));
        await OpenOkAsync(OpenRequest(Eth, Side.Long, takeProfit: 3500m));
        await OpenOkAsync(OpenRequest(Eth, Side.Short, takeProfit: shortCap));
        await OpenOkAsync(OpenRequest(Eth, Side.Short, takeProfit: 2500m));
    }

    [Fact]
    public async Task Stop_loss_beyond_the_cap_or_on_the_wrong_side_is_rejected()
    {
        var spec = Spec(Eth);
        var longEntry = 3000m * (1m + spec.SpreadRate);
        var longLimit = longEntry * (1m - (spec.MaxStopLossFraction / 10m));
        var shortEntry = 3000m * (1m - spec.SpreadRate);
        var shortLimit = shortEntry * (1m + (spec.MaxStopLossFraction / 10m));

        ShouldBeRejected(await Venue.OpenAsync(OpenRequest(Eth, Side.Long, stopLoss: longLimit - 1m), default), PerpRejectionCodes.StopLoss);
        ShouldBeRejected(await Venue.OpenAsync(OpenRequest(Eth, Side.Long, stopLoss: 3100m), default), PerpRejectionCodes.StopLoss);
        ShouldBeRejected(await Venue.OpenAsync(OpenRequest(Eth, Side.Short, stopLoss: shortLimit + 1m), default), PerpRejectionCodes.StopLoss);
        ShouldBeRejected(await Venue.OpenAsync(OpenRequest(Eth, Side.Short, stopLoss: 2900m), default), PerpRejectionCodes.StopLoss);

        var beyond = await Venue.OpenAsync(OpenRequest(Eth, Side.Long, stopLoss: 2000m), default);
        beyond.Rejection!.Message.ShouldContain("80%");

        await OpenOkAsync(OpenRequest(Eth, Side.Long, stopLoss: longLimit));
        await OpenOkAsync(OpenRequest(Eth, Side.Long, stopLoss: 2900m));
        await OpenOkAsync(OpenRequest(Eth, Side.Short, stopLoss: shortLimit));
        await OpenOkAsync(OpenRequest(Eth, Side.Short, stopLoss: 3100m, takeProfit: 2800m));
    }

    // ---- close ----

    [Theory]
    [InlineData(Side.Long, 3300.0, 3310.0)]
    [InlineData(Side.Short, 2700.0, 2690.0)]
    public async Task A_take_profit_close_fills_at_the_take_profit_once_the_mark_has_crossed_it(Side side, double tp, double mark)
    {
        var open = await OpenOkAsync(OpenRequest(Eth, side, collateral: 1000m, leverage: 10m));
        var request = CloseRequest(open) with { Trigger = CloseTrigger.TakeProfit, TriggerPrice = (decimal)tp };

        await Harness.SetMarkAsync(Eth, 3000m);
        ShouldBeRejected(await Venue.CloseAsync(request, default), PerpRejectionCodes.NotTriggered);

        await Harness.SetMarkAsync(Eth, (decimal)mark);
        var fill = await CloseOkAsync(request with { ClientOrderId = IntentId.New() });
        fill.ExitPrice.ShouldBe((decimal)tp);
        fill.GrossPnl.ShouldBeGreaterThan(0m);
    }

    [Fact]
    public async Task A_stop_loss_close_fills_at_the_stop_once_the_mark_has_crossed_it()
    {
        var open = await OpenOkAsync(OpenRequest(Eth, Side.Long, collateral: 1000m, leverage: 10m));
        await Harness.SetMarkAsync(Eth, 2890m);

        var fill = await CloseOkAsync(CloseRequest(open) with { Trigger = CloseTrigger.StopLoss, TriggerPrice = 2900m });

        fill.ExitPrice.ShouldBe(2900m);
        fill.GrossPnl.ShouldBeLessThan(0m);
    }

    [Fact]
    public async Task A_liquidation_takes_the_whole_position_past_its_liquidation_price_and_returns_nothing()
    {
        var open = await OpenOkAsync(OpenRequest(Eth, Side.Long, collateral: 1000m, leverage: 10m));
        var liquidation = CloseRequest(open) with { Trigger = CloseTrigger.Liquidation };

        await Harness.SetMarkAsync(Eth, open.LiquidationPrice + 1m);
        ShouldBeRejected(await Venue.CloseAsync(liquidation, default), PerpRejectionCodes.NotTriggered);
        ShouldBeRejected(await Venue.CloseAsync(CloseRequest(open, 0.5m) with { Trigger = CloseTrigger.Liquidation }, default), PerpRejectionCodes.NotTriggered);

        await Harness.SetMarkAsync(Eth, open.LiquidationPrice - 1m);
        var fill = await CloseOkAsync(liquidation with { ClientOrderId = IntentId.New() });
        fill.Payout.ShouldBe(0m);
        fill.ClosedCollateral.ShouldBe(open.Collateral);
    }


    [Theory]
    [InlineData(Side.Long, "3300", true)]
    [InlineData(Side.Long, "2900", false)]
    [InlineData(Side.Short, "2700", true)]
    [InlineData(Side.Short, "3100", false)]
    public async Task Full_close_pays_collateral_plus_pnl_minus_fees(Side side, string exitMark, bool profit)
    {
        var spec = Spec(Eth);
        var open = await OpenOkAsync(OpenRequest(Eth, side));
        var mark = D(exitMark);
        await Harness.SetMarkAsync(Eth, mark);
        var request = CloseRequest(open);

        var fill = await CloseOkAsync(request);

        var exit = side == Side.Long ? mark * (1m - spec.SpreadRate) : mark * (1m + spec.SpreadRate);
        var move = side == Side.Long ? exit - open.EntryPrice : open.EntryPrice - exit;
        var gross = move * open.Notional / open.EntryPrice;
        var fee = open.Notional * spec.OpenCloseFeeRate;
        fill.ClientOrderId.ShouldBe(request.ClientOrderId);
        fill.MarkPrice.ShouldBe(mark);
        fill.ExitPrice.ShouldBe(exit);
        fill.ClosedCollateral.ShouldBe(open.Collateral);
        fill.GrossPnl.ShouldBe(gross, 0.0000000001m);
        (fill.GrossPnl > 0m).ShouldBe(profit);
        fill.CloseFee.ShouldBe(fee);
        fill.RolloverFee.ShouldBe(0m);
        fill.Payout.ShouldBe(open.Collateral + fill.GrossPnl - fee, 0.0000000001m);
        (fill.NetPnl > 0m).ShouldBe(profit);
        fill.FilledAt.ShouldBe(Harness.Now);
    }

    [Fact]
    public async Task Half_close_settles_half_the_collateral_and_notional()
    {
        var spec = Spec(Eth);
        var open = await OpenOkAsync(OpenRequest(Eth, Side.Long, collateral: 200m));
        await Harness.SetMarkAsync(Eth, 3300m);

        var half = await CloseOkAsync(CloseRequest(open, 0.5m));
        var full = await CloseOkAsync(CloseRequest(open, 1m));

        half.ClosedCollateral.ShouldBe(open.Collateral / 2m);
        half.CloseFee.ShouldBe(open.Notional / 2m * spec.OpenCloseFeeRate);
        half.GrossPnl.ShouldBe(full.GrossPnl / 2m, 0.0000000001m);
        half.Payout.ShouldBe(full.Payout / 2m, 0.0000000001m);
        half.ExitPrice.ShouldBe(full.ExitPrice);
    }

    [Fact]
    public async Task A_wiped_out_position_pays_nothing_rather_than_owing()
    {
        var open = await OpenOkAsync(OpenRequest(Eth, Side.Long, leverage: 10m));
        await Harness.SetMarkAsync(Eth, 1500m);

        var fill = await CloseOkAsync(CloseRequest(open));

        fill.GrossPnl.ShouldBeLessThan(-open.Collateral);
        fill.Payout.ShouldBe(0m);
        fill.NetPnl.ShouldBe(-open.Collateral);
    }

    [Fact]
    public async Task Close_with_a_stale_price_is_rejected()
    {
        var open = await OpenOkAsync(OpenRequest(Eth, Side.Short));
        await Harness.MakeStaleAsync(Eth);

        ShouldBeRejected(await Venue.CloseAsync(CloseRequest(open), default), PerpRejectionCodes.StalePrice);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.5")]
    [InlineData("1.0001")]
    [InlineData("2")]
    public async Task Close_fraction_outside_zero_to_one_is_rejected(string fraction)
    {
        var open = await OpenOkAsync(OpenRequest(Eth, Side.Long));

        ShouldBeRejected(await Venue.CloseAsync(CloseRequest(open, D(fraction)), default), PerpRejectionCodes.Fraction);
    }

    [Fact]
    public async Task Rollover_fee_accrues_with_the_clock()
    {
        var spec = Spec(Eth);
        var open = await OpenOkAsync(OpenRequest(Eth, Side.Long, collateral: 100m, leverage: 10m));

        await Harness.AdvanceAsync(TimeSpan.FromHours(10));
        await Harness.SetMarkAsync(Eth, 3000m);
        var afterTen = await CloseOkAsync(CloseRequest(open));

        await Harness.AdvanceAsync(TimeSpan.FromMinutes(30));
        await Harness.SetMarkAsync(Eth, 3000m);
        var halfLater = await CloseOkAsync(CloseRequest(open, 0.5m));

        afterTen.RolloverFee.ShouldBe(open.Notional * spec.RolloverFeeRatePerHour * 10m);
        afterTen.Payout.ShouldBe(open.Collateral + afterTen.GrossPnl - afterTen.CloseFee - afterTen.RolloverFee, 0.0000000001m);
        halfLater.RolloverFee.ShouldBe(open.Notional / 2m * spec.RolloverFeeRatePerHour * 10.5m);
        afterTen.FilledAt.ShouldBe(open.FilledAt.AddHours(10));
    }

    // ---- idempotency and recovery ----

    [Fact]
    public async Task Repeating_an_open_returns_the_first_fill_without_pricing_again()
    {
        var request = OpenRequest(Eth, Side.Long);
        var first = await OpenOkAsync(request);

        await Harness.SetMarkAsync(Eth, 3500m);
        await Harness.AdvanceAsync(TimeSpan.FromMinutes(1));
        await Harness.SetMarkAsync(Eth, 3500m);
        var again = await OpenOkAsync(request);

        again.ShouldBe(first);
        again.MarkPrice.ShouldBe(3000m);
        again.FilledAt.ShouldBe(first.FilledAt);
    }

    [Fact]
    public async Task Concurrent_repeats_of_an_open_fill_once()
    {
        var request = OpenRequest(Btc, Side.Short, collateral: 500m, leverage: 20m);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Venue.OpenAsync(request, default))));

        results.ShouldAllBe(r => r.IsSuccess);
        results.Select(r => r.Value).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task Repeating_a_close_returns_the_first_fill()
    {
        var open = await OpenOkAsync(OpenRequest(Eth, Side.Short));
        await Harness.SetMarkAsync(Eth, 2900m);
        var request = CloseRequest(open);
        var first = await CloseOkAsync(request);

        await Harness.SetMarkAsync(Eth, 2500m);
        var again = await CloseOkAsync(request);

        again.ShouldBe(first);
        again.MarkPrice.ShouldBe(2900m);
    }

    [Fact]
    public async Task Repeating_a_rejected_order_returns_the_same_rejection()
    {
        await Harness.MakeStaleAsync(Eth);
        var request = OpenRequest(Eth, Side.Long);
        var first = await Venue.OpenAsync(request, default);

        await Harness.SetMarkAsync(Eth, 3000m);
        var again = await Venue.OpenAsync(request, default);

        ShouldBeRejected(again, PerpRejectionCodes.StalePrice);
        again.Rejection.ShouldBe(first.Rejection);
    }

    [Fact]
    public async Task Find_order_knows_fills_and_rejections_and_nothing_else()
    {
        var request = OpenRequest(Eth, Side.Long);
        (await Venue.FindOrderAsync(request.ClientOrderId, default)).ShouldBeNull();

        var open = await OpenOkAsync(request);
        var found = await Venue.FindOrderAsync(request.ClientOrderId, default);
        found.ShouldNotBeNull();
        found.ClientOrderId.ShouldBe(request.ClientOrderId);
        found.State.ShouldBe(VenueOrderState.Filled);
        found.OpenFill.ShouldBe(open);
        found.CloseFill.ShouldBeNull();

        var close = CloseRequest(open);
        (await Venue.FindOrderAsync(close.ClientOrderId, default)).ShouldBeNull();
        var closed = await CloseOkAsync(close);
        var foundClose = await Venue.FindOrderAsync(close.ClientOrderId, default);
        foundClose!.State.ShouldBe(VenueOrderState.Filled);
        foundClose.CloseFill.ShouldBe(closed);
        foundClose.OpenFill.ShouldBeNull();

        var bad = OpenRequest(Pair.Usd("NOPE"), Side.Long);
        await Venue.OpenAsync(bad, default);
        var foundBad = await Venue.FindOrderAsync(bad.ClientOrderId, default);
        foundBad!.State.ShouldBe(VenueOrderState.Rejected);
        foundBad.RejectionReason.ShouldNotBeNull();
        foundBad.RejectionReason.ShouldContain(PerpRejectionCodes.UnknownPair);
        foundBad.OpenFill.ShouldBeNull();
    }
}
