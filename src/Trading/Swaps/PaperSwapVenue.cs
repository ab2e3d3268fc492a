using System.Collections.Concurrent;
using VantaBot.Risk;
using VantaBot.Trading.Perps;

namespace VantaBot.Trading.Swaps;

/// <summary>
/// DRY swaps: simulated against the same fresh quote a LIVE swap would be sent with, so a paper fill is what the
/// chain would have paid out at that moment (no gas is spent, nothing is signed). Idempotent per client order id
/// within the process; after a restart the paper venue has no record, and recovery voids the hold — nothing moved.
/// </summary>
public sealed class PaperSwapVenue : ISwapVenue
{
    private readonly ConcurrentDictionary<IntentId, VenueResult<SwapFill>> _executed = new();

    public ExecutionMode Mode => ExecutionMode.Dry;

    public Task<VenueResult<SwapFill>> ExecuteAsync(SwapExecution execution, CancellationToken cancellationToken)
    {
        var intent = execution.Intent;
        var result = _executed.GetOrAdd(intent.Id, _ => Fill(execution));
        return Task.FromResult(result);
    }

    public Task<SwapResolution> ResolveAsync(SwapIntent intent, CancellationToken cancellationToken)
    {
        SwapResolution resolution = _executed.TryGetValue(intent.Id, out var result)
            ? result.Value is { } fill ? new SwapResolution.Filled(fill) : new SwapResolution.Failed(result.Rejection!.Message)
            : new SwapResolution.Failed("the paper swap was not completed before a restart; nothing was swapped");
        return Task.FromResult(resolution);
    }

    private static VenueResult<SwapFill> Fill(SwapExecution execution)
    {
        var (intent, quote) = (execution.Intent, execution.Quote);
        if (quote.ExpectedOut.Raw < intent.MinimumOut.Raw)
        {
            return VenueResult.Reject<SwapFill>(
                SwapRejectionCodes.Slippage,
                $"The quote pays {quote.ExpectedOut.Format(quote.TokenOut.Symbol)}, below the minimum {intent.MinimumOut.Format(quote.TokenOut.Symbol)}.");
        }

        return VenueResult.Ok(new SwapFill(intent.Id, quote.ExpectedOut, null, new TokenAmount(0, quote.GasCost.Decimals)));
    }
}
