using Microsoft.Extensions.Logging;
using VantaBot.Trading.Ledger;

namespace VantaBot.Trading.Swaps;

/// <summary>
/// Resolves swaps a crash left mid-way. Pending means no venue was called (Submitted is persisted first), so the hold
/// is released. A Submitted swap is resolved by its venue — on chain by the persisted transaction's hash and nonce —
/// and settled or voided; one still in flight is left for the next round. Safe to run beside live trading: each
/// settlement is guarded by the intent's state in its own transaction.
/// </summary>
public sealed class SwapRecovery(ISwapIntentStore intents, SwapVenues venues, ILogger<SwapRecovery> logger)
{
    public async Task<RecoveryReport> RecoverAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        var settled = 0;
        var voided = 0;
        foreach (var intent in (await intents.GetUnresolvedAsync(cancellationToken)).Where(i => i.CreatedAt < createdBefore))
        {
            if (intent.State == IntentState.Pending)
            {
                await intents.FailAsync(intent.Id, IntentState.Cancelled, "not submitted before a restart; nothing was swapped", cancellationToken);
                voided++;
                continue;
            }

            if (venues.For(intent.Mode) is not { } venue)
            {
                // A LIVE swap on a deployment that lost its chain configuration: leave it for an operator, never void it blind.
                logger.LogWarning("Swap intent {IntentId} is {Mode} but no such venue is configured; left unresolved", intent.Id, intent.Mode);
                continue;
            }

            switch (await venue.ResolveAsync(intent, cancellationToken))
            {
                case SwapResolution.Filled filled:
                    await intents.CompleteAsync(intent.Id, filled.Fill, cancellationToken);
                    settled++;
                    break;
                case SwapResolution.Failed failed:
                    await intents.FailAsync(intent.Id, IntentState.Failed, failed.Reason, cancellationToken);
                    voided++;
                    break;
                case SwapResolution.InFlight inFlight:
                    logger.LogInformation("Swap intent {IntentId} still in flight: {Detail}", intent.Id, inFlight.Detail);
                    break;
            }
        }

        return new RecoveryReport(settled, voided);
    }
}
