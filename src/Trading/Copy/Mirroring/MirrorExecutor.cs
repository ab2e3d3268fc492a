using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Wallets;

namespace VantaBot.Trading.Copy.Mirroring;

/// <summary>
/// Runs one claimed mirror as a normal order of the follower (own intent, hold, risk rules, copy rate limit,
/// execution mode) with the idempotency key <c>copy:&lt;leader trade id&gt;</c>, then records the outcome. A re-run
/// after a crash finds the first run's intent by that key, so a mirror never trades twice.
/// </summary>
public sealed class MirrorExecutor(
    IMirrorStore store,
    PerpTradeService perps,
    PerpCloseService closes,
    SwapService swaps,
    IOrderIntentStore intents,
    IPositionStore positions,
    IWalletDirectory wallets,
    ISwapCatalog catalog,
    SwapValuation valuation,
    IOptions<SwapOptions> swapOptions,
    ILogger<MirrorExecutor> logger)
{
    /// <summary>The gate that refuses while the rate limiter's store is unreachable (fail closed): a passing condition.</summary>
    public const string UnavailableGate = "RateLimit:Unavailable";

    public async Task<MirrorResolution> ExecuteAsync(ClaimedMirror mirror, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        var resolution = mirror.Trade switch
        {
            LeaderTrade.PerpOpen open => await OpenAsync(mirror, open, cancellationToken),
            LeaderTrade.PerpClose close => await CloseAsync(mirror, close, cancellationToken),
            LeaderTrade.Swap swap => await SwapAsync(mirror, swap, cancellationToken),
            _ => Skip(mirror, $"unknown trade kind {mirror.Trade.GetType().Name}"),
        };
        if (!await store.ResolveAsync(mirror, resolution, cancellationToken))
        {
            logger.LogInformation("Mirror {MirrorId} was resolved by another worker", mirror.Id);
        }

        return resolution;
    }

    private async Task<MirrorResolution> OpenAsync(ClaimedMirror mirror, LeaderTrade.PerpOpen open, CancellationToken cancellationToken)
    {
        if (mirror.Settings is not { } settings)
        {
            return NotFollowing();
        }

        var key = MirrorPlanner.KeyFor(mirror.LeaderTradeId);
        var plan = MirrorPlanner.PlanOpen(open, settings, mirror.Follower, key);
        if (plan is MirrorPlan.Skip skip)
        {
            return Skip(mirror, skip.Reason);
        }

        var (order, notes) = (MirrorPlan.OpenPerp)plan;
        var outcome = await perps.OpenAsync(order, cancellationToken);
        return outcome switch
        {
            OpenPositionOutcome.Opened opened => Filled(mirror, opened.Position.Id, notes),
            OpenPositionOutcome.AlreadyHandled => await FromEarlierOpenAsync(mirror, key, cancellationToken),
            OpenPositionOutcome.NeedsConfirmation => Skip(
                mirror,
                string.Create(CultureInfo.InvariantCulture, $"needs confirmation — leverage {order.Leverage:0.##}x is above the level that asks for one; set a lower maxlev or trade it yourself")),
            OpenPositionOutcome.Rejected { Rule: UnavailableGate } rejected => throw new TransientMirrorException(rejected.Reason),
            OpenPositionOutcome.Rejected rejected => Skip(mirror, WithNotes(rejected.Reason, notes)),
            OpenPositionOutcome.Unknown unknown => new MirrorResolution.Done(null, $"left to intent recovery: {unknown.Reason}"),
            _ => Skip(mirror, outcome.Message),
        };
    }

    /// <summary>A re-run: the first run's intent tells what happened (its position, or why it failed).</summary>
    private async Task<MirrorResolution> FromEarlierOpenAsync(ClaimedMirror mirror, string key, CancellationToken cancellationToken)
    {
        var earlier = await intents.FindByIdempotencyKeyAsync(mirror.Follower, key, cancellationToken);
        return earlier switch
        {
            { State: IntentState.Failed or IntentState.Cancelled } failed => Skip(mirror, failed.FailureReason ?? "the order failed"),
            { Position: { } position } => new MirrorResolution.Done(position, "already handled"),
            _ => new MirrorResolution.Done(null, $"already handled ({earlier?.State.ToString() ?? "no intent"}); left to intent recovery"),
        };
    }

    private async Task<MirrorResolution> CloseAsync(ClaimedMirror mirror, LeaderTrade.PerpClose close, CancellationToken cancellationToken)
    {
        // The follower's mirrored part: recorded on the open's mirror, or (an open left to recovery) its intent.
        var position = mirror.MirroredPosition;
        if (position is null && mirror.OpenTradeId is { } openTrade)
        {
            position = (await intents.FindByIdempotencyKeyAsync(mirror.Follower, MirrorPlanner.KeyFor(openTrade), cancellationToken))?.Position;
        }

        if (position is not { } positionId)
        {
            return new MirrorResolution.Skipped("no mirrored position", null);
        }

        var current = await positions.FindAsync(positionId, cancellationToken);
        if (current is null || current.Status != PositionStatus.Open)
        {
            return Skip(mirror, $"your copied position {positionId} is already closed");
        }

        var outcome = await closes.CloseAsync(
            new ClosePositionOrder(mirror.Follower, MirrorPlanner.KeyFor(mirror.LeaderTradeId), positionId, close.Fraction, CloseReason.Copy), cancellationToken);
        return outcome switch
        {
            ClosePositionOutcome.Closed => new MirrorResolution.Done(positionId, null),
            ClosePositionOutcome.AlreadyHandled => new MirrorResolution.Done(positionId, "already handled"),
            ClosePositionOutcome.Unknown unknown => new MirrorResolution.Done(positionId, $"left to intent recovery: {unknown.Reason}"),
            ClosePositionOutcome.Rejected { Rule: UnavailableGate } rejected => throw new TransientMirrorException(rejected.Reason),
            ClosePositionOutcome.Rejected { Rule: "NoSuchPosition" } => Skip(mirror, $"your copied position {positionId} is already closed"),
            ClosePositionOutcome.Rejected rejected => Skip(mirror, rejected.Reason + " Close it yourself with /close."),
            _ => Skip(mirror, outcome.Message),
        };
    }

    private async Task<MirrorResolution> SwapAsync(ClaimedMirror mirror, LeaderTrade.Swap swap, CancellationToken cancellationToken)
    {
        if (mirror.Settings is not { } settings)
        {
            return NotFollowing();
        }

        var tokenIn = catalog.FindChain(swap.Chain)?.Find(swap.TokenIn);
        if (tokenIn is null)
        {
            return Skip(mirror, $"{swap.TokenIn} on {swap.Chain} is not a token this bot swaps");
        }

        var wallet = await wallets.FindAsync(mirror.Follower, ChainFamily.Evm, cancellationToken);
        if (wallet is null)
        {
            return Skip(mirror, "no wallet: send /wallet");
        }

        var usd = await valuation.NotionalUsdAsync(tokenIn, 1m, cancellationToken);
        var key = MirrorPlanner.KeyFor(mirror.LeaderTradeId);
        var plan = MirrorPlanner.PlanSwap(swap, settings, mirror.Follower, key, tokenIn.Decimals, usd > 0m ? usd : null, swapOptions.Value.DefaultSlippageBasisPoints);
        if (plan is MirrorPlan.Skip skip)
        {
            return Skip(mirror, skip.Reason);
        }

        var (order, notes) = (MirrorPlan.Swap)plan;

        // The follower agreed to copy when they followed: the preview is the card nobody needs to tap.
        var previewed = await swaps.PreviewAsync(order, wallet.Address, cancellationToken);
        if (previewed is not SwapOutcome.NeedsConfirmation card)
        {
            return FromSwap(mirror, previewed, notes);
        }

        return FromSwap(mirror, await swaps.ExecuteAsync(card.Preview, wallet.Address, cancellationToken), notes);
    }

    private static MirrorResolution FromSwap(ClaimedMirror mirror, SwapOutcome outcome, IReadOnlyList<string> notes) => outcome switch
    {
        SwapOutcome.Swapped => Filled(mirror, null, notes),
        SwapOutcome.AlreadyHandled handled when handled.Intent.State is IntentState.Failed or IntentState.Cancelled => Skip(mirror, "the swap failed"),
        SwapOutcome.AlreadyHandled => new MirrorResolution.Done(null, "already handled"),
        SwapOutcome.Unknown unknown => new MirrorResolution.Done(null, $"left to intent recovery: {unknown.Reason}"),
        SwapOutcome.Rejected { Rule: UnavailableGate } rejected => throw new TransientMirrorException(rejected.Reason),
        SwapOutcome.Rejected rejected => Skip(mirror, WithNotes(rejected.Reason, notes)),
        _ => Skip(mirror, outcome.Message),
    };

    /// <summary>The fill has its own notice; a copy that differs from the leader's trade says how, once.</summary>
    private static MirrorResolution.Done Filled(ClaimedMirror mirror, PositionId? position, IReadOnlyList<string> notes) =>
        new(position, Join(notes), notes.Count == 0 ? null : $"📋 Copied {MirrorPlanner.Describe(mirror.Trade)}: {Join(notes)}");

    private static MirrorResolution.Skipped Skip(ClaimedMirror mirror, string reason) =>
        new(reason, MirrorPlanner.SkipNotice(mirror.Trade, reason));

    /// <summary>They unfollowed after the trade was queued: nothing to copy, and nothing to tell them.</summary>
    private static MirrorResolution.Skipped NotFollowing() => new("no longer following", null);

    private static string? Join(IReadOnlyList<string> notes) => notes.Count == 0 ? null : string.Join(" ", notes);

    private static string WithNotes(string reason, IReadOnlyList<string> notes) =>
        notes.Count == 0 ? reason.TrimEnd('.') : $"{reason.TrimEnd('.')} ({string.Join(" ", notes).TrimEnd('.')})";
}
