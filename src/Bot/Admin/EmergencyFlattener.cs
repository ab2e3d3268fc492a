using System.Globalization;
using Microsoft.Extensions.Logging;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Control;
using VantaBot.Trading.Perps;

namespace VantaBot.Bot.Admin;

public sealed record FlattenReport(int Open, int Closed, int Failed, IReadOnlyList<string> Failures);

/// <summary>
/// <c>/emergency_stop close_all</c>: closes every open position in full through the one close path. Runs after
/// the stop is in force, so no new position can appear behind it. Each close is keyed by the stop and the
/// position, so repeating the command for the same stop never closes anything twice.
/// </summary>
public sealed class EmergencyFlattener(IPositionStore positions, PerpCloseService closer, AdminNotifier notifier, ILogger<EmergencyFlattener> logger)
{
    public async Task<FlattenReport> FlattenAsync(EmergencyStop stop, IReplyChannel replies, CancellationToken cancellationToken)
    {
        var open = await positions.GetAllOpenAsync(cancellationToken);
        var stopKey = stop.At.UtcTicks.ToString(CultureInfo.InvariantCulture);
        int closed = 0;
        var failures = new List<string>();
        foreach (var position in open)
        {
            var order = new ClosePositionOrder(position.User, $"emergency:{stopKey}:{position.Id.Value:N}", position.Id, 1m, CloseReason.EmergencyStop);
            ClosePositionOutcome outcome;
            try
            {
                outcome = await closer.CloseAsync(order, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failing close must not leave the others open.
                logger.LogError(ex, "Emergency close of position {PositionId} failed", position.Id);
                failures.Add($"{position.Id}: {ex.GetType().Name}");
                continue;
            }

            if (outcome is ClosePositionOutcome.Closed or ClosePositionOutcome.AlreadyHandled)
            {
                closed++;
                await notifier.TrySendAsync(replies, position.User, $"🛑 Your {position.Side.ToString().ToUpperInvariant()} {position.Pair} position {position.Id} was closed by an emergency stop: {stop.Reason}.", cancellationToken);
            }
            else
            {
                failures.Add($"{position.Id}: {outcome.Message}");
            }
        }

        return new FlattenReport(open.Count, closed, failures.Count, failures);
    }
}
