using Microsoft.Extensions.Logging;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Ledger;

namespace VantaBot.Trading.Perps;

/// <summary>
/// The one path for closing (all or part of) a position, by the trader, the position monitor (TP, SL,
/// liquidation) or an emergency stop: gates, write-ahead intent that claims the position, venue, settlement.
/// Closes pass the gates as <see cref="TradeAction.ClosePerp"/>, so halts that stop new risk still let traders
/// reduce it.
/// </summary>
public sealed class PerpCloseService(
    IOrderIntentStore intents,
    IPositionStore positions,
    IPerpVenue venue,
    TradeGates gates,
    TimeProvider time,
    ILogger<PerpCloseService> logger)
{
    public async Task<ClosePositionOutcome> CloseAsync(ClosePositionOrder order, CancellationToken cancellationToken)
    {
        if (await intents.FindByIdempotencyKeyAsync(order.User, order.IdempotencyKey, cancellationToken) is { } earlier)
        {
            return new ClosePositionOutcome.AlreadyHandled(earlier.State.ToString());
        }

        if (order.Fraction is <= 0m or > 1m)
        {
            return new ClosePositionOutcome.Rejected("InvalidFraction", "The part to close must be above 0% and at most 100%.");
        }

        var position = await positions.FindAsync(order.Position, cancellationToken);
        if (position is null || position.User != order.User || position.Status != PositionStatus.Open)
        {
            return NotOpen(order.Position);
        }

        var attempt = new TradeAttempt(order.User, TradeAction.ClosePerp, position.Pair, position.Notional * order.Fraction, order.Reason == CloseReason.Copy, order.IdempotencyKey);
        foreach (var stage in new[] { TradeGateStage.BeforeRisk, TradeGateStage.BeforeCommit })
        {
            var decision = await gates.CheckAsync(stage, attempt, cancellationToken);
            if (!decision.Allowed)
            {
                return new ClosePositionOutcome.Rejected(decision.Gate!, decision.Reason!);
            }
        }

        var placed = await positions.PlaceCloseAsync(
            new OrderIntent(
                IntentId.New(), order.User, IntentKind.ClosePerp, IntentState.Pending, order.IdempotencyKey, position.Pair, position.Side,
                position.Collateral * order.Fraction, position.Leverage, position.TakeProfit, position.StopLoss, position.Id, order.Fraction, null,
                time.GetUtcNow(), CloseReason: order.Reason),
            cancellationToken);
        switch (placed.Outcome)
        {
            case PlaceIntentOutcome.Duplicate:
                return new ClosePositionOutcome.AlreadyHandled(placed.Intent.State.ToString());
            case PlaceIntentOutcome.PositionNotOpen:
                return NotOpen(order.Position);
            case PlaceIntentOutcome.PositionBusy:
                return new ClosePositionOutcome.Rejected("CloseInProgress", $"Position {order.Position} is already being closed; try again in a moment.");
        }

        var intent = placed.Intent;
        await intents.MarkSubmittedAsync(intent.Id, cancellationToken);
        VenueResult<PerpCloseFill> result;
        try
        {
            result = await venue.CloseAsync(
                new PerpCloseRequest(
                    intent.Id, position.Pair, position.Side, position.EntryPrice, position.Collateral, position.Leverage, position.OpenedAt, order.Fraction,
                    order.Reason.TriggerOf(), TriggerPriceOf(position, order.Reason)),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Venue {Venue} failed while closing position {PositionId} (intent {IntentId})", venue.Name, position.Id, intent.Id);
            return new ClosePositionOutcome.Unknown("The venue did not answer; the close will be checked and settled or released automatically.");
        }

        if (result.Value is not { } fill)
        {
            var rejection = result.Rejection!;
            await intents.FailAsync(intent.Id, IntentState.Failed, $"{rejection.Code}: {rejection.Message}", cancellationToken);
            return new ClosePositionOutcome.Rejected(rejection.Code, rejection.Message);
        }

        var close = await positions.CompleteCloseAsync(intent.Id, fill, cancellationToken);
        var remaining = close.ClosedFully ? null : await positions.FindAsync(position.Id, cancellationToken);
        logger.LogInformation(
            "Closed {Fraction:P0} of position {PositionId} ({Reason}); payout {Payout} USDC", order.Fraction, position.Id, order.Reason, close.Payout);
        return new ClosePositionOutcome.Closed(close, remaining);
    }

    private static decimal? TriggerPriceOf(Position position, CloseReason reason) => reason switch
    {
        CloseReason.TakeProfit => position.TakeProfit,
        CloseReason.StopLoss => position.StopLoss,
        _ => null,
    };

    private static ClosePositionOutcome.Rejected NotOpen(PositionId position) =>
        new("NoSuchPosition", $"You have no open position {position}. Send /positions to see their ids.");
}
