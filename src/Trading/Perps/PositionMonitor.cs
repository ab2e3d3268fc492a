using Microsoft.Extensions.Logging;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.Trading.Perps;

/// <summary>What one monitor pass did to one position.</summary>
public sealed record MonitorAction(Position Position, CloseReason Reason, ClosePositionOutcome Outcome);

/// <summary>
/// The paper venue's keeper: one pass per priced pair, closing the open positions whose liquidation, stop-loss or
/// take-profit the current mark has reached (the database finds them), through the one close path. Stale prices
/// never trigger anything: a stop fired on an old quote would be a loss the market never dealt. The owner is told
/// about each close.
/// </summary>
public sealed class PositionMonitor(
    IPositionStore positions,
    IPriceFeed prices,
    PerpCloseService closer,
    ITradeNotifier notifier,
    TimeProvider time,
    ILogger<PositionMonitor> logger)
{
    public async Task<IReadOnlyList<MonitorAction>> RunOnceAsync(CancellationToken cancellationToken)
    {
        var actions = new List<MonitorAction>();
        foreach (var pair in await positions.GetOpenPairsAsync(cancellationToken))
        {
            var reading = await prices.GetPriceAsync(pair, cancellationToken);
            if (reading is not { IsStale: false })
            {
                continue;
            }

            // Only the positions whose level the mark has reached come back: a pass costs what it acts on, not
            // every open position (thousands, every 2 s).
            var price = reading.Quote.Price;
            foreach (var position in await positions.GetTriggeredAsync(pair, price, cancellationToken))
            {
                if (PositionTriggers.Evaluate(position, price) is not { } reason)
                {
                    continue;
                }

                // A fresh key per attempt: if the venue finds the level no longer reached, a later pass may try again.
                var key = $"auto:{position.Id.Value:N}:{reason}:{time.GetUtcNow().ToUnixTimeMilliseconds()}";
                var outcome = await closer.CloseAsync(new ClosePositionOrder(position.User, key, position.Id, 1m, reason), cancellationToken);
                actions.Add(new MonitorAction(position, reason, outcome));
                if (outcome is ClosePositionOutcome.Closed closed)
                {
                    await TryNotifyAsync(closed.Close, cancellationToken);
                }
                else
                {
                    logger.LogInformation("Monitor could not close position {PositionId} on {Reason}: {Message}", position.Id, reason, outcome.Message);
                }
            }
        }

        return actions;
    }

    private async Task TryNotifyAsync(PositionClose close, CancellationToken cancellationToken)
    {
        try
        {
            await notifier.NotifyAsync(close.User, close, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The close is settled and in /history; a lost notice must not stop the monitor closing other positions.
            logger.LogWarning(ex, "Could not tell user {UserId} about the close of position {PositionId}", close.User, close.Position);
        }
    }
}
