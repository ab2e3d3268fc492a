using System.Globalization;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Outbox;

/// <summary>
/// The outbox rows of trade outcomes. One key per order (user + the order's idempotency key), so a fill and a
/// failure of the same order can never both be queued, and the handler that placed the order can name the row its
/// own reply delivers. Sent to the trader's private chat (its id is the user id).
/// </summary>
public static class TradeOutcomeNotices
{
    public static string KeyFor(UserId user, string idempotencyKey) =>
        $"trade:{user.Value.ToString(CultureInfo.InvariantCulture)}:{idempotencyKey}";

    public static OutboxNotice Filled(OrderIntentEntity intent, PositionEntity position)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(position);
        var side = position.Side == Side.Long ? "LONG" : "SHORT";
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"✅ Opened {side} {position.Pair} {position.Leverage:0.##}x\nPosition {position.Id}\nEntry {position.EntryPrice:#,0.00######} · collateral {Usdc.FromMicros(position.CollateralMicros):#,0.00} USDC · SL {position.StopLoss:#,0.00######}");

        // A copied order (copy-trading mirrors use keys "copy:<leader trade>") says so: the trader did not type it.
        if (intent.IdempotencyKey.StartsWith(Copy.LeaderTradeCapture.CopyKeyPrefix, StringComparison.Ordinal))
        {
            text += "\n📋 Copied from a leader you follow (/following).";
        }

        return new OutboxNotice(KeyFor(intent.UserId, intent.IdempotencyKey), intent.UserId.Value, text);
    }

    /// <summary>One key per settled close (a position may close in several parts).</summary>
    public static string KeyForClose(UserId user, IntentId closeIntent) =>
        $"close:{user.Value.ToString(CultureInfo.InvariantCulture)}:{closeIntent}";

    public static OutboxNotice Closed(PositionCloseEntity close)
    {
        ArgumentNullException.ThrowIfNull(close);
        var side = close.Side == Side.Long ? "LONG" : "SHORT";
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"Closed {close.Fraction * 100:0.##}% of {side} {close.Pair} {close.Leverage:0.##}x ({close.Reason})\nPosition {close.PositionId} · exit {close.ExitPrice:#,0.00######}\nPnL {Usdc.FromMicros(close.RealizedPnlMicros):+#,0.00;-#,0.00} USDC after fees · returned {Usdc.FromMicros(close.PayoutMicros):#,0.00} USDC");
        return new OutboxNotice(KeyForClose(close.UserId, close.IntentId), close.UserId.Value, text);
    }

    public static OutboxNotice Failed(OrderIntentEntity intent, IntentState state, string reason)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var side = intent.Side == Side.Long ? "LONG" : "SHORT";
        var verb = state == IntentState.Cancelled ? "was cancelled" : "failed";
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"❌ Your {side} {intent.Pair} {intent.Leverage:0.##}x order {verb}: {reason}. The {intent.Collateral:#,0.00} USDC held for it are available again.");
        return new OutboxNotice(KeyFor(intent.UserId, intent.IdempotencyKey), intent.UserId.Value, text);
    }
}
