using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;

namespace VantaBot.Trading.Copy;

/// <summary>
/// A trade a leader made, as the watchers saw it. <see cref="SourceKey"/> names the trade at its source and is
/// unique: a watcher that sees the same trade twice (a restart, a re-read block range) records it once.
/// EVM swaps: <c>evm:&lt;chain&gt;:&lt;tx hash&gt;</c>; bot perps: <c>perp-open:&lt;intent&gt;</c> / <c>perp-close:&lt;intent&gt;</c>.
/// </summary>
public abstract record LeaderTrade(string SourceKey, LeaderRef Leader, DateTimeOffset OccurredAt)
{
    /// <summary>
    /// An on-chain swap of an exact input on a configured router, confirmed at the chain's depth.
    /// Amounts are in token units (not raw).
    /// </summary>
    public sealed record Swap(
        string SourceKey,
        LeaderRef Leader,
        DateTimeOffset OccurredAt,
        string Chain,
        string TokenIn,
        string TokenOut,
        decimal AmountIn,
        decimal AmountOut,
        string TransactionHash,
        long BlockNumber) : LeaderTrade(SourceKey, Leader, OccurredAt);

    /// <summary>A bot leader opened a perpetual position (their own order, never one they copied).</summary>
    public sealed record PerpOpen(
        string SourceKey,
        LeaderRef Leader,
        DateTimeOffset OccurredAt,
        PositionId LeaderPosition,
        Pair Pair,
        Side Side,
        decimal Collateral,
        decimal Leverage) : LeaderTrade(SourceKey, Leader, OccurredAt);

    /// <summary>
    /// A bot leader closed <see cref="Fraction"/> of a position that was mirrored (any reason: manual, TP/SL,
    /// liquidation): followers close the same fraction of their mirrored part.
    /// </summary>
    public sealed record PerpClose(
        string SourceKey,
        LeaderRef Leader,
        DateTimeOffset OccurredAt,
        PositionId LeaderPosition,
        Pair Pair,
        decimal Fraction) : LeaderTrade(SourceKey, Leader, OccurredAt);
}

/// <summary>Where watchers put the leader trades they see; mirroring reads them from there.</summary>
public interface ILeaderTradeInbox
{
    /// <summary>Records the trade once; false when its <see cref="LeaderTrade.SourceKey"/> was recorded before.</summary>
    Task<bool> RecordAsync(LeaderTrade trade, CancellationToken cancellationToken);
}
