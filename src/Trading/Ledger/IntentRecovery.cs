using Microsoft.Extensions.Logging;
using VantaBot.Trading.Perps;

namespace VantaBot.Trading.Ledger;

/// <summary>
/// Resolves intents a crash left mid-way. Pending means the venue was never called (Submitted is persisted
/// before the call), so the hold is voided. Submitted intents are looked up at the venue by client order id:
/// a fill is settled, anything else voids the hold. Safe to run concurrently with itself and with live
/// trading: every settlement is guarded by the intent's state inside its own transaction.
/// </summary>
public sealed class IntentRecovery(IOrderIntentStore intents, IPositionStore positions, IPerpVenue venue, ILogger<IntentRecovery> logger)
{
    public Task<RecoveryReport> RecoverAsync(CancellationToken cancellationToken) => RecoverAsync(DateTimeOffset.MaxValue, cancellationToken);

    /// <summary>
    /// Resolves only intents created before <paramref name="createdBefore"/>. The periodic job passes "a while ago":
    /// while the process runs, a younger Pending or Submitted intent is most likely an order in flight, and voiding
    /// it under the trade path's feet would release a hold the venue is about to fill.
    /// </summary>
    public async Task<RecoveryReport> RecoverAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        var settled = 0;
        var voided = 0;
        foreach (var intent in (await intents.GetUnresolvedAsync(cancellationToken)).Where(i => i.CreatedAt < createdBefore))
        {
            if (intent.State == IntentState.Pending)
            {
                await intents.FailAsync(intent.Id, IntentState.Cancelled, "not submitted before a restart; nothing was traded", cancellationToken);
                voided++;
                continue;
            }

            var status = await venue.FindOrderAsync(intent.Id, cancellationToken);
            if (status is { State: VenueOrderState.Filled, OpenFill: { } fill } && intent.Kind == IntentKind.OpenPerp)
            {
                // The trade path writes the effective stop-loss into the intent before submitting, so it is known here.
                var stopLoss = intent.StopLoss ?? throw new InvalidOperationException($"Intent {intent.Id} was submitted without a stop-loss.");
                await intents.CompleteOpenAsync(intent.Id, fill, stopLoss, intent.StopLossSetByBot, cancellationToken);
                settled++;
            }
            else if (status is { State: VenueOrderState.Filled, CloseFill: { } closeFill } && intent.Kind == IntentKind.ClosePerp)
            {
                await positions.CompleteCloseAsync(intent.Id, closeFill, cancellationToken);
                settled++;
            }
            else
            {
                var reason = status?.RejectionReason ?? $"the {venue.Name} venue has no record of the order";
                await intents.FailAsync(intent.Id, IntentState.Failed, reason, cancellationToken);
                voided++;
            }

            logger.LogInformation("Recovered intent {IntentId} ({State})", intent.Id, status?.State.ToString() ?? "unknown at venue");
        }

        return new RecoveryReport(settled, voided);
    }
}

public sealed record RecoveryReport(int Settled, int Voided);
