using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Perps;

namespace VantaBot.Infrastructure.Persistence.Copy;

/// <summary>
/// Records a bot leader's own perps trades as leader trades, inside the settling store's transaction: the trade and
/// its copy_leader_trades row commit together, so a crash can never leave a settled leader trade unmirrored.
/// Orders that were themselves copies (key <c>copy:…</c>) are never captured, so two traders following each other
/// cannot start an endless ping-pong of mirrors.
/// </summary>
public static class LeaderTradeCapture
{
    /// <summary>The idempotency-key prefix of every mirrored order.</summary>
    public const string CopyKeyPrefix = "copy:";

    public static string OpenSourceKey(IntentId intent) => $"perp-open:{intent}";

    public static string CloseSourceKey(IntentId intent) => $"perp-close:{intent}";

    public static bool IsCopy(string idempotencyKey) => idempotencyKey.StartsWith(CopyKeyPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Adds (unsaved) the open of an opted-in leader's own position. <paramref name="leaderOptedIn"/> is read by the
    /// settling store inside its transaction (in the statement that settles the hold, to save a round trip).
    /// </summary>
    public static void OnOpened(VantaBotDbContext db, OrderIntentEntity intent, PositionEntity position, DateTimeOffset now, bool leaderOptedIn)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(position);
        if (IsCopy(intent.IdempotencyKey) || !leaderOptedIn)
        {
            return;
        }

        var trade = new LeaderTrade.PerpOpen(
            OpenSourceKey(intent.Id), LeaderRef.Bot(intent.UserId), position.OpenedAt, position.Id, LedgerStore.ParsePair(position.Pair), position.Side,
            intent.Collateral, position.Leverage);
        db.Add(LeaderTradeEntity.From(trade, now));
    }

    /// <summary>
    /// Adds (unsaved) a close of a position whose open was captured, for any reason and also after the leader opted
    /// out: followers who mirrored the open must be able to leave with the leader. <paramref name="openWasCaptured"/> is
    /// read by the settling store inside its transaction (in the statement that pays out, to save a round trip).
    /// </summary>
    public static void OnClosed(VantaBotDbContext db, OrderIntentEntity intent, PositionEntity position, DateTimeOffset now, bool openWasCaptured)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(position);
        if (IsCopy(intent.IdempotencyKey) || !openWasCaptured)
        {
            return;
        }

        var trade = new LeaderTrade.PerpClose(
            CloseSourceKey(intent.Id), LeaderRef.Bot(position.UserId), now, position.Id, LedgerStore.ParsePair(position.Pair), intent.CloseFraction);
        db.Add(LeaderTradeEntity.From(trade, now));
    }
}
