using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Risk;
using VantaBot.Trading.DailyLoss;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Prices;

namespace VantaBot.Trading.Perps;

/// <summary>
/// The one trade path for opening a perpetual position, DRY or LIVE alike (the venue decides which): price,
/// risk on the user's whole exposure, write-ahead intent with a hold, submit, settle. Each state is persisted
/// before the next external call (see <see cref="IOrderIntentStore"/>).
/// </summary>
public sealed class PerpTradeService(
    IOrderIntentStore intents,
    PortfolioValuation portfolio,
    IPerpVenue venue,
    IPerpMarketCatalog markets,
    IPriceFeed prices,
    LeverageSafetyManager risk,
    TradeGates gates,
    IOptions<RiskOptions> riskOptions,
    TimeProvider time,
    DayStartEquity dayStartEquity,
    ILogger<PerpTradeService> logger)
{
    public async Task<OpenPositionOutcome> OpenAsync(OpenPositionOrder order, CancellationToken cancellationToken)
    {
        // A repeat is answered from its first outcome before anything is re-priced or re-checked; the unique
        // key in the write-ahead step still settles a race between two concurrent deliveries.
        if (await intents.FindByIdempotencyKeyAsync(order.User, order.IdempotencyKey, cancellationToken) is { } earlier)
        {
            return await AlreadyHandledAsync(earlier, cancellationToken);
        }

        var spec = markets.Find(order.Pair);
        if (spec is null)
        {
            var listed = string.Join(", ", markets.Markets.Select(m => m.Pair.Base));
            return new OpenPositionOutcome.Rejected("UnknownPair", $"{order.Pair} is not listed. Pairs: {listed}.");
        }

        if (order.Collateral <= 0 || order.Leverage <= 0)
        {
            return new OpenPositionOutcome.Rejected("InvalidOrder", "Collateral and leverage must be positive.");
        }

        var halt = await gates.CheckAsync(TradeGateStage.BeforeRisk, AttemptOf(order, notional: order.Collateral * order.Leverage), cancellationToken);
        if (!halt.Allowed)
        {
            return new OpenPositionOutcome.Rejected(halt.Gate!, halt.Reason!);
        }

        var reading = await prices.GetPriceAsync(order.Pair, cancellationToken);
        if (reading is null)
        {
            return new OpenPositionOutcome.Rejected("StalePrice", $"No price for {order.Pair} right now; no order was placed.");
        }

        // A quick answer for the common case; the authoritative check is the atomic hold in the write-ahead step.
        var holdings = await portfolio.ValueAsync(order.User, reading, cancellationToken);
        if (holdings.Account.Available < order.Collateral)
        {
            return InsufficientFunds(holdings.Account, order);
        }

        var request = await BuildRiskRequestAsync(order, spec, reading, holdings, cancellationToken);
        var decision = risk.Evaluate(request);
        switch (decision)
        {
            case RiskDecision.Rejected rejected:
                return new OpenPositionOutcome.Rejected(rejected.Rule, rejected.Message);
            case RiskDecision.NeedsConfirmation confirmation:
                return new OpenPositionOutcome.NeedsConfirmation(confirmation.Summary);
        }

        var approved = (RiskDecision.Approved)decision;
        var slippage = riskOptions.Value.MaxSlippageFraction;
        var (stopLoss, notes) = TightenToVenueLimit(order, spec, request, approved, slippage);
        var quota = await gates.CheckAsync(TradeGateStage.BeforeCommit, AttemptOf(order, notional: order.Collateral * order.Leverage), cancellationToken);
        if (!quota.Allowed)
        {
            return new OpenPositionOutcome.Rejected(quota.Gate!, quota.Reason!);
        }

        var placed = await intents.PlaceOpenAsync(
            new OrderIntent(
                IntentId.New(), order.User, IntentKind.OpenPerp, IntentState.Pending, order.IdempotencyKey, order.Pair, order.Side,
                order.Collateral, order.Leverage, order.TakeProfit, stopLoss, null, 0m, null, time.GetUtcNow(), approved.StopLossWasSetByBot),
            cancellationToken);
        switch (placed.Outcome)
        {
            case PlaceIntentOutcome.Duplicate:
                return await AlreadyHandledAsync(placed.Intent, cancellationToken);
            case PlaceIntentOutcome.InsufficientFunds:
                return InsufficientFunds(placed.Account, order);
        }

        var intent = placed.Intent;
        await intents.MarkSubmittedAsync(intent.Id, cancellationToken);
        VenueResult<PerpOpenFill> result;
        try
        {
            result = await venue.OpenAsync(
                new PerpOpenRequest(intent.Id, order.Pair, order.Side, order.Collateral, order.Leverage, order.TakeProfit, stopLoss, request.EntryPrice, slippage),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The venue may or may not have the order: only recovery, asking the venue by client order id, can tell.
            logger.LogError(ex, "Venue {Venue} failed while opening intent {IntentId}", venue.Name, intent.Id);
            return new OpenPositionOutcome.Unknown("The venue did not answer; the order will be checked and settled or released automatically.");
        }

        if (result.Value is not { } fill)
        {
            var rejection = result.Rejection!;
            await intents.FailAsync(intent.Id, IntentState.Failed, $"{rejection.Code}: {rejection.Message}", cancellationToken);
            return new OpenPositionOutcome.Rejected(rejection.Code, rejection.Message);
        }

        var position = await intents.CompleteOpenAsync(intent.Id, fill, stopLoss, approved.StopLossWasSetByBot, cancellationToken);
        return new OpenPositionOutcome.Opened(position, notes);
    }

    /// <summary>
    /// The venue caps how far a stop-loss may sit from the fill (Avantis: −80%); a bot-set stop never exceeds that
    /// cap. The fill may be worse than the checked entry by up to the slippage, which moves the cap with it, so the
    /// cap is taken from the worst fill still accepted (at extreme leverage, half the cap's distance at most, so
    /// the stop stays on the losing side of the entry).
    /// </summary>
    private static (decimal StopLoss, IReadOnlyList<string> Notes) TightenToVenueLimit(
        OpenPositionOrder order, PerpMarketSpec spec, OpenRiskRequest request, RiskDecision.Approved approved, decimal slippage)
    {
        if (!approved.StopLossWasSetByBot)
        {
            return (approved.StopLoss, approved.Notes);
        }

        var margin = Math.Min(slippage, spec.MaxStopLossFraction / order.Leverage / 2m);
        var worstFill = order.Side == Side.Long ? request.EntryPrice * (1m + margin) : request.EntryPrice * (1m - margin);
        var venueLimit = PerpMath.StopLossLimitPrice(order.Side, worstFill, order.Leverage, spec.MaxStopLossFraction);
        var tighter = order.Side == Side.Long ? Math.Max(approved.StopLoss, venueLimit) : Math.Min(approved.StopLoss, venueLimit);
        if (tighter == approved.StopLoss)
        {
            return (approved.StopLoss, approved.Notes);
        }

        tighter = Math.Round(tighter, 8, order.Side == Side.Long ? MidpointRounding.ToPositiveInfinity : MidpointRounding.ToNegativeInfinity);
        var note = $"Stop-loss set by the bot at {tighter:#,0.00######} (inside the venue's −{spec.MaxStopLossFraction * 100:0.##}% loss limit, allowing {margin * 100:0.##}% slippage; liquidation at {request.LiquidationPrice:#,0.00######}).";
        return (tighter, [note]);
    }

    private static TradeAttempt AttemptOf(OpenPositionOrder order, decimal notional) =>
        new(order.User, TradeAction.OpenPerp, order.Pair, notional, order.IsCopy, order.IdempotencyKey);

    private async Task<OpenPositionOutcome> AlreadyHandledAsync(OrderIntent intent, CancellationToken cancellationToken)
    {
        var open = await intents.GetOpenPositionsAsync(intent.User, cancellationToken);
        return new OpenPositionOutcome.AlreadyHandled(open.FirstOrDefault(p => p.Id == intent.Position), intent.State.ToString());
    }

    private static OpenPositionOutcome.Rejected InsufficientFunds(AccountSnapshot account, OpenPositionOrder order) =>
        new("InsufficientFunds", $"Available balance {account.Available:#,0.00} USDC does not cover {order.Collateral:#,0.00} USDC collateral.");

    private async Task<OpenRiskRequest> BuildRiskRequestAsync(
        OpenPositionOrder order, PerpMarketSpec spec, PriceReading reading, PortfolioSnapshot holdings, CancellationToken cancellationToken)
    {
        var mark = reading.Quote.Price;
        var entry = PerpMath.EntryPrice(mark, order.Side, spec.SpreadRate);
        var fee = PerpMath.OpenFeeOnPosted(order.Collateral, order.Leverage, spec.OpenCloseFeeRate);
        var collateral = order.Collateral - fee;
        var liquidation = collateral > 0
            ? PerpMath.LiquidationPrice(order.Side, entry, collateral, order.Leverage, 0m, spec.LiquidationRemainingFraction)
            : entry;
        var bounds = spec.BoundsFor(order.Leverage) ?? new LeverageBounds(spec.Standard.Min, spec.MaxLeverage);

        // Exposure is counted across the user's positions in the pair, so adding to a position cannot bypass a limit.
        var inPair = holdings.Positions.Select(v => v.Position).Where(p => p.Pair == order.Pair).ToList();
        var existingNotional = inPair.Sum(p => p.Notional);
        var existingAtRisk = inPair.Sum(p => p.Collateral * Math.Max(0m, PerpMath.LossFractionAtPrice(p.Side, p.EntryPrice, p.StopLoss, p.Leverage)));
        var equity = holdings.Equity;

        return new OpenRiskRequest(
            Pair: order.Pair.ToString(),
            IsLong: order.Side == Side.Long,
            Collateral: collateral,
            Leverage: order.Leverage,
            EntryPrice: entry,
            MarkPrice: mark,
            LiquidationPrice: liquidation,
            StopLoss: order.StopLoss,
            TakeProfit: order.TakeProfit,
            OpenFee: fee,
            EstimatedCloseFee: collateral * order.Leverage * spec.OpenCloseFeeRate,
            LeverageMin: bounds.Min,
            LeverageMax: bounds.Max,
            IsPriceStale: reading.IsStale,
            AccountEquity: equity,
            ExistingNotionalInPair: existingNotional,
            ExistingAtRiskInPair: existingAtRisk,
            DayStartEquity: await dayStartEquity.ForTodayAsync(order.User, equity, cancellationToken),
            CurrentEquity: equity,
            IsConfirmed: order.IsConfirmed);
    }
}
