using System.Globalization;
using System.Numerics;
using VantaBot.Infrastructure.Persistence.Swaps;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Swaps;

namespace VantaBot.Infrastructure.Persistence.Outbox;

/// <summary>
/// Outbox rows of swap outcomes, keyed like every trade outcome (user + the order's idempotency key), so the reply
/// that reports the swap marks its row delivered and a crash still leaves the row for the relay.
/// </summary>
public static class SwapOutcomeNotices
{
    public static OutboxNotice Filled(SwapIntentEntity swap, SwapFill fill)
    {
        ArgumentNullException.ThrowIfNull(swap);
        ArgumentNullException.ThrowIfNull(fill);
        var paid = Amount(swap.AmountInRaw, swap.TokenInDecimals).Format(swap.TokenInSymbol);
        var got = fill.AmountOut.Format(swap.TokenOutSymbol);
        var where = fill.TransactionHash is { } hash ? $"on {swap.Chain}, transaction {hash}" : $"on paper (DRY), {swap.Chain} quote";
        var text = string.Create(CultureInfo.InvariantCulture, $"✅ Swapped {paid} → {got} via {swap.Route} {where}");
        return new OutboxNotice(TradeOutcomeNotices.KeyFor(swap.UserId, swap.IdempotencyKey), swap.UserId.Value, text);
    }

    public static OutboxNotice Failed(SwapIntentEntity swap, IntentState state, string reason)
    {
        ArgumentNullException.ThrowIfNull(swap);
        var amount = Amount(swap.AmountInRaw, swap.TokenInDecimals).Format(swap.TokenInSymbol);
        var verb = state == IntentState.Cancelled ? "was cancelled" : "failed";
        var text = $"❌ Your swap of {amount} → {swap.TokenOutSymbol} on {swap.Chain} {verb}: {reason}. The {amount} held for it are available again.";
        return new OutboxNotice(TradeOutcomeNotices.KeyFor(swap.UserId, swap.IdempotencyKey), swap.UserId.Value, text);
    }

    private static TokenAmount Amount(string raw, int decimals) => new(BigInteger.Parse(raw, CultureInfo.InvariantCulture), decimals);
}
