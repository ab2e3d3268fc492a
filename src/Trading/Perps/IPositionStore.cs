using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Perps;

/// <summary>
/// Positions after they open: the write-ahead close path, protection (TP/SL) updates and the reads behind
/// /positions, /pnl and /history. Every write is one transaction.
/// </summary>
/// <summary>A position as opened: <see cref="Posted"/> is what the trader put up (collateral plus the open fee).</summary>
public sealed record OpenedPosition(Position Position, decimal Posted);

public sealed record CloseSummary(int Count, int Wins, decimal RealizedPnl, decimal Fees);

public interface IPositionStore
{
    Task<Position?> FindAsync(PositionId position, CancellationToken cancellationToken);

    /// <summary>The user's open position whose id ends with <paramref name="shortId"/> (the 12 hex digits shown in chat).</summary>
    Task<Position?> FindOpenByShortIdAsync(UserId user, string shortId, CancellationToken cancellationToken);

    /// <summary>Every open position of every user (an emergency flatten's work list).</summary>
    Task<IReadOnlyList<Position>> GetAllOpenAsync(CancellationToken cancellationToken);

    /// <summary>The pairs in which any position is open (the monitor prices each once).</summary>
    Task<IReadOnlyList<Pair>> GetOpenPairsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The open positions in <paramref name="pair"/> whose liquidation, stop-loss or take-profit level
    /// <paramref name="mark"/> has reached, as <see cref="PositionTriggers.Evaluate"/> decides it, oldest first: the
    /// database does the filtering, so a monitor pass costs what is triggered, not every open position.
    /// </summary>
    Task<IReadOnlyList<Position>> GetTriggeredAsync(Pair pair, decimal mark, CancellationToken cancellationToken);

    /// <summary>
    /// Write-ahead for a close: the intent commits only while the position is open, owned by the intent's user
    /// and not already being closed, which it then is until the intent resolves. So two closes of one position
    /// never run at once and a position can never pay out more than once. A repeated key is a duplicate.
    /// </summary>
    Task<PlaceIntentResult> PlaceCloseAsync(OrderIntent intent, CancellationToken cancellationToken);

    /// <summary>
    /// Credits the payout, records the close, shrinks or closes the position and marks the intent filled, atomically;
    /// settles once even if two recoverers race.
    /// </summary>
    Task<PositionClose> CompleteCloseAsync(IntentId intent, PerpCloseFill fill, CancellationToken cancellationToken);

    /// <summary>Sets TP (null removes it) and SL on an open position of the user; false when there is none.</summary>
    Task<bool> UpdateProtectionAsync(PositionId position, UserId user, decimal? takeProfit, decimal stopLoss, bool stopLossSetByBot, CancellationToken cancellationToken);

    /// <summary>Closes since <paramref name="since"/> (all when null), newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<PositionClose>> GetClosesAsync(UserId user, DateTimeOffset? since, int limit, CancellationToken cancellationToken);

    /// <summary>Count, wins and net realized PnL of the user's closes since <paramref name="since"/> (all when null), summed in the database.</summary>
    Task<CloseSummary> SummarizeClosesAsync(UserId user, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>The user's most recently opened positions (open or closed), newest first.</summary>
    Task<IReadOnlyList<OpenedPosition>> GetRecentPositionsAsync(UserId user, int limit, CancellationToken cancellationToken);
}
