using System.Collections.Concurrent;
using System.Globalization;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.Trading.Perps;

/// <summary>
/// The DRY-mode perps venue: fills against the shared price feed with the venue's real fee, spread, leverage,
/// TP/SL and liquidation rules from the <see cref="IPerpMarketCatalog"/>, and moves no money anywhere.
/// </summary>
/// <remarks>
/// Idempotency lives in memory: the first outcome (fill or rejection) of each client order id is kept and every
/// repeat returns it unchanged, without pricing again; concurrent repeats wait for the first. A restarted process
/// has forgotten its paper orders, so <see cref="FindOrderAsync"/> answers null for them and the recovery job voids
/// the intent's hold: a paper fill that never reached settlement is simply undone, which costs nothing real.
/// </remarks>
public sealed class PaperPerpVenue : IPerpVenue
{
    public const string VenueName = "paper";

    private readonly IPerpMarketCatalog _markets;
    private readonly IPriceFeed _prices;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IntentId, Task<Outcome>> _orders = new();

    public PaperPerpVenue(IPerpMarketCatalog markets, IPriceFeed prices, TimeProvider time)
    {
        _markets = markets;
        _prices = prices;
        _time = time;
    }

    public string Name => VenueName;

    public async Task<VenueResult<PerpOpenFill>> OpenAsync(PerpOpenRequest request, CancellationToken cancellationToken)
    {
        var outcome = await OnceAsync(request.ClientOrderId, async ct => Outcome.Of(await ExecuteOpenAsync(request, ct)), cancellationToken);
        return outcome.Open ?? Reused<PerpOpenFill>(request.ClientOrderId);
    }

    public async Task<VenueResult<PerpCloseFill>> CloseAsync(PerpCloseRequest request, CancellationToken cancellationToken)
    {
        var outcome = await OnceAsync(request.ClientOrderId, async ct => Outcome.Of(await ExecuteCloseAsync(request, ct)), cancellationToken);
        return outcome.Close ?? Reused<PerpCloseFill>(request.ClientOrderId);
    }

    public async Task<VenueOrderStatus?> FindOrderAsync(IntentId clientOrderId, CancellationToken cancellationToken)
    {
        if (!_orders.TryGetValue(clientOrderId, out var pending))
        {
            return null;
        }

        Outcome outcome;
        try
        {
            outcome = await pending.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The attempt failed before any fill (infrastructure fault): the venue never executed it.
            return null;
        }

        return outcome.ToStatus(clientOrderId);
    }

    /// <summary>
    /// Runs <paramref name="execute"/> at most once per client order id and remembers its outcome. A fault or
    /// cancellation during the attempt forgets the id again (nothing was filled), so a retry may run.
    /// </summary>
    private async Task<Outcome> OnceAsync(IntentId id, Func<CancellationToken, Task<Outcome>> execute, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var mine = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var existing = _orders.GetOrAdd(id, mine.Task);
        if (existing != mine.Task)
        {
            return await existing.WaitAsync(cancellationToken);
        }

        try
        {
            var outcome = await execute(cancellationToken);
            mine.SetResult(outcome);
            return outcome;
        }
        catch (Exception ex)
        {
            _orders.TryRemove(new KeyValuePair<IntentId, Task<Outcome>>(id, mine.Task));
            if (ex is OperationCanceledException oce)
            {
                mine.SetCanceled(oce.CancellationToken);
            }
            else
            {
                mine.SetException(ex);
            }

            throw;
        }
    }

    private async Task<VenueResult<PerpOpenFill>> ExecuteOpenAsync(PerpOpenRequest request, CancellationToken cancellationToken)
    {
        if (request.Collateral <= 0m)
        {
            return Reject<PerpOpenFill>(PerpRejectionCodes.Collateral, $"Collateral must be positive; got {Usd(request.Collateral)} USDC.");
        }

        if (_markets.Find(request.Pair) is not { } spec)
        {
            return UnknownPair<PerpOpenFill>(request.Pair);
        }

        if (spec.BoundsFor(request.Leverage) is null)
        {
            var groups = spec.HighLeverage is { } high ? $"{spec.Standard} or {high}" : spec.Standard.ToString();
            return Reject<PerpOpenFill>(
                PerpRejectionCodes.LeverageBounds, $"{request.Pair} allows {groups}; {Num(request.Leverage)}x is outside.");
        }

        var requestedNotional = request.Collateral * request.Leverage;
        if (requestedNotional < spec.MinPositionUsd)
        {
            return Reject<PerpOpenFill>(
                PerpRejectionCodes.MinPosition,
                $"Position size {Usd(requestedNotional)} USDC ({Usd(request.Collateral)} × {Num(request.Leverage)}x) is below the minimum of {Usd(spec.MinPositionUsd)} USDC on {request.Pair}.");
        }

        var openFee = PerpMath.OpenFeeOnPosted(request.Collateral, request.Leverage, spec.OpenCloseFeeRate);
        var collateral = request.Collateral - openFee;
        if (collateral <= 0m)
        {
            return Reject<PerpOpenFill>(
                PerpRejectionCodes.Collateral, $"The open fee of {Usd(openFee)} USDC leaves no collateral from {Usd(request.Collateral)} USDC.");
        }

        if (await FreshMarkAsync(request.Pair, cancellationToken) is not { } mark)
        {
            return StalePrice<PerpOpenFill>(request.Pair, "open");
        }

        var entry = PerpMath.EntryPrice(mark, request.Side, spec.SpreadRate);
        if (SlippageProblem(request, entry) is { } slipped)
        {
            return Reject<PerpOpenFill>(PerpRejectionCodes.PriceMoved, slipped);
        }

        var liquidation = PerpMath.LiquidationPrice(request.Side, entry, collateral, request.Leverage, 0m, spec.LiquidationRemainingFraction);

        if (request.TakeProfit is { } tp && CheckTakeProfit(spec, request.Side, entry, request.Leverage, tp) is { } tpProblem)
        {
            return Reject<PerpOpenFill>(PerpRejectionCodes.TakeProfit, tpProblem);
        }

        if (request.StopLoss is { } sl && CheckStopLoss(spec, request.Side, entry, request.Leverage, liquidation, sl) is { } slProblem)
        {
            return Reject<PerpOpenFill>(PerpRejectionCodes.StopLoss, slProblem);
        }

        return VenueResult.Ok(new PerpOpenFill(
            request.ClientOrderId, request.Pair, request.Side, mark, entry, collateral, request.Leverage, openFee, liquidation, _time.GetUtcNow()));
    }

    private async Task<VenueResult<PerpCloseFill>> ExecuteCloseAsync(PerpCloseRequest request, CancellationToken cancellationToken)
    {
        if (request.Fraction is <= 0m or > 1m)
        {
            return Reject<PerpCloseFill>(PerpRejectionCodes.Fraction, $"The part to close must be above 0 and at most 1 (100%); got {Num(request.Fraction)}.");
        }

        if (request.Collateral <= 0m)
        {
            return Reject<PerpCloseFill>(PerpRejectionCodes.Collateral, $"Collateral must be positive; got {Usd(request.Collateral)} USDC.");
        }

        if (request.EntryPrice <= 0m || request.Leverage <= 0m)
        {
            return Reject<PerpCloseFill>(
                PerpRejectionCodes.InvalidPosition, $"Entry price ({Num(request.EntryPrice)}) and leverage ({Num(request.Leverage)}x) must be positive.");
        }

        if (_markets.Find(request.Pair) is not { } spec)
        {
            return UnknownPair<PerpCloseFill>(request.Pair);
        }

        if (await FreshMarkAsync(request.Pair, cancellationToken) is not { } mark)
        {
            return StalePrice<PerpCloseFill>(request.Pair, "close");
        }

        var now = _time.GetUtcNow();
        var closedCollateral = request.Collateral * request.Fraction;
        var closedNotional = closedCollateral * request.Leverage;
        var rollover = PerpMath.RolloverFee(closedNotional, spec.RolloverFeeRatePerHour, request.OpenedAt, now);
        if (TriggeredExit(request, spec, mark, rollover) is not { } exit)
        {
            return Reject<PerpCloseFill>(PerpRejectionCodes.NotTriggered, NotTriggeredMessage(request, mark));
        }

        var gross = PerpMath.GrossPnl(request.Side, request.EntryPrice, exit, closedNotional);
        var closeFee = PerpMath.OpenFee(closedNotional, spec.OpenCloseFeeRate);

        // A liquidated position's remaining collateral goes to the venue, as on Avantis: the trader gets nothing back.
        var payout = request.Trigger == CloseTrigger.Liquidation ? 0m : PerpMath.Payout(closedCollateral, gross, closeFee, rollover);

        return VenueResult.Ok(new PerpCloseFill(request.ClientOrderId, mark, exit, closedCollateral, gross, closeFee, rollover, payout, now));
    }

    /// <summary>
    /// The exit price, or null when the trigger has not been reached. TP and SL fill at their own price once the mark
    /// has crossed it (the venue's keepers execute at the trigger); a liquidation fills at the mark.
    /// </summary>
    private static decimal? TriggeredExit(PerpCloseRequest request, PerpMarketSpec spec, decimal mark, decimal rollover)
    {
        var isLong = request.Side == Side.Long;
        switch (request.Trigger)
        {
            case CloseTrigger.TakeProfit when request.TriggerPrice is { } tp:
                return (isLong ? mark >= tp : mark <= tp) ? tp : null;
            case CloseTrigger.StopLoss when request.TriggerPrice is { } sl:
                return (isLong ? mark <= sl : mark >= sl) ? sl : null;
            case CloseTrigger.Liquidation:
                var liquidation = PerpMath.LiquidationPrice(
                    request.Side, request.EntryPrice, request.Collateral, request.Leverage, rollover / request.Fraction, spec.LiquidationRemainingFraction);
                return request.Fraction == 1m && (isLong ? mark <= liquidation : mark >= liquidation) ? mark : null;
            case CloseTrigger.Market:
                return PerpMath.ExitPrice(mark, request.Side, spec.SpreadRate);
            default:
                return null;
        }
    }

    private static string NotTriggeredMessage(PerpCloseRequest request, decimal mark) => request.Trigger switch
    {
        CloseTrigger.Liquidation when request.Fraction != 1m => "A liquidation closes the whole position.",
        CloseTrigger.Liquidation => $"Mark {Num(mark)} has not reached the liquidation price.",
        CloseTrigger.TakeProfit or CloseTrigger.StopLoss when request.TriggerPrice is null => $"A {request.Trigger} close needs its trigger price.",
        _ => $"Mark {Num(mark)} has not crossed the {request.Trigger} price {Num(request.TriggerPrice ?? 0m)}.",
    };

    /// <summary>Only a move against the trader counts: a better fill is never refused.</summary>
    private static string? SlippageProblem(PerpOpenRequest request, decimal entry)
    {
        if (request.ExpectedEntryPrice <= 0m || request.MaxSlippageFraction < 0m)
        {
            return $"The expected entry price ({Num(request.ExpectedEntryPrice)}) must be positive and the slippage ({Num(request.MaxSlippageFraction)}) not negative.";
        }

        var adverse = request.Side == Side.Long
            ? (entry - request.ExpectedEntryPrice) / request.ExpectedEntryPrice
            : (request.ExpectedEntryPrice - entry) / request.ExpectedEntryPrice;
        return adverse <= request.MaxSlippageFraction
            ? null
            : $"The price moved {Pct(adverse)} against the order since it was checked (entry {Num(entry)} instead of {Num(request.ExpectedEntryPrice)}; at most {Pct(request.MaxSlippageFraction)} allowed). Nothing was opened; send the order again.";
    }

    private static string? CheckTakeProfit(PerpMarketSpec spec, Side side, decimal entry, decimal leverage, decimal tp)
    {
        var cap = PerpMath.MaxTakeProfitPrice(side, entry, leverage, spec.MaxGainFraction);
        var rightSide = side == Side.Long ? tp > entry : tp < entry;
        if (!rightSide)
        {
            return $"Take-profit {Num(tp)} must be {(side == Side.Long ? "above" : "below")} the entry price {Num(entry)} for a {Word(side)}.";
        }

        var withinCap = side == Side.Long ? tp <= cap : tp >= cap;
        return withinCap
            ? null
            : $"Take-profit {Num(tp)} exceeds the +{Pct(spec.MaxGainFraction)} profit cap at {Num(leverage)}x; the furthest allowed is {Num(cap)}.";
    }

    private static string? CheckStopLoss(PerpMarketSpec spec, Side side, decimal entry, decimal leverage, decimal liquidation, decimal sl)
    {
        var rightSide = side == Side.Long ? sl < entry : sl > entry;
        if (!rightSide)
        {
            return $"Stop-loss {Num(sl)} must be {(side == Side.Long ? "below" : "above")} the entry price {Num(entry)} for a {Word(side)}.";
        }

        var limit = PerpMath.StopLossLimitPrice(side, entry, leverage, spec.MaxStopLossFraction);
        var withinCap = side == Side.Long ? sl >= limit : sl <= limit;
        if (!withinCap)
        {
            return $"Stop-loss {Num(sl)} exceeds the −{Pct(spec.MaxStopLossFraction)} loss cap at {Num(leverage)}x; the furthest allowed is {Num(limit)}.";
        }

        var beforeLiquidation = side == Side.Long ? sl > liquidation : sl < liquidation;
        return beforeLiquidation ? null : $"Stop-loss {Num(sl)} lies beyond the liquidation price {Num(liquidation)}.";
    }

    /// <summary>The current mark, or null when the feed has none or only a stale one: never fill on a stale quote.</summary>
    private async Task<decimal?> FreshMarkAsync(Pair pair, CancellationToken cancellationToken)
    {
        var reading = await _prices.GetPriceAsync(pair, cancellationToken);
        return reading is { IsStale: false, Quote.Price: > 0m } ? reading.Quote.Price : null;
    }

    private static VenueResult<T> UnknownPair<T>(Pair pair)
        where T : class => Reject<T>(PerpRejectionCodes.UnknownPair, $"{pair} is not listed on the perps venue.");

    private static VenueResult<T> StalePrice<T>(Pair pair, string action)
        where T : class => Reject<T>(PerpRejectionCodes.StalePrice, $"No fresh price for {pair}; cannot {action} now. Try again shortly.");

    private static VenueResult<T> Reused<T>(IntentId id)
        where T : class => Reject<T>(PerpRejectionCodes.ClientOrderIdReused, $"Client order id {id} was already used for a different kind of order.");

    private static VenueResult<T> Reject<T>(string code, string message)
        where T : class => VenueResult.Reject<T>(code, message);

    private static string Word(Side side) => side == Side.Long ? "long" : "short";

    private static string Num(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    private static string Usd(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Pct(decimal fraction) => (fraction * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>The first outcome of one client order id: exactly one of the two results is set.</summary>
    private sealed record Outcome(VenueResult<PerpOpenFill>? Open, VenueResult<PerpCloseFill>? Close)
    {
        public static Outcome Of(VenueResult<PerpOpenFill> open) => new(open, null);

        public static Outcome Of(VenueResult<PerpCloseFill> close) => new(null, close);

        public VenueOrderStatus ToStatus(IntentId id)
        {
            var rejection = Open?.Rejection ?? Close?.Rejection;
            return rejection is null
                ? new VenueOrderStatus(id, VenueOrderState.Filled, Open?.Value, Close?.Value, null)
                : new VenueOrderStatus(id, VenueOrderState.Rejected, null, null, $"{rejection.Code}: {rejection.Message}");
        }
    }
}
