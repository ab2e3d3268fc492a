using VantaBot.Trading.Users;

namespace VantaBot.Trading.Copy;

/// <summary>
/// A leader's record from their settled perp closes (each full or partial close is one trade): how many, how many
/// made money net of fees, the realized PnL in USDC, and the largest fall of the cumulative realized PnL from a
/// peak to a later trough (also USDC; 0 when it never fell).
/// </summary>
public sealed record LeaderPerformance(int Trades, int Wins, decimal RealizedPnl, decimal MaxDrawdown)
{
    public static LeaderPerformance None { get; } = new(0, 0, 0m, 0m);

    /// <summary>Wins over trades (0..1); null before the first trade, so a newcomer is not shown as 0%.</summary>
    public decimal? WinRate => WinRateOf(Wins, Trades);

    public static decimal? WinRateOf(int wins, int trades) => trades == 0 ? null : (decimal)wins / trades;

    /// <summary>The record of closes given in the order they settled (net realized PnL of each).</summary>
    public static LeaderPerformance FromCloses(IEnumerable<decimal> realizedPnlInCloseOrder)
    {
        ArgumentNullException.ThrowIfNull(realizedPnlInCloseOrder);
        var trades = 0;
        var wins = 0;
        var cumulative = 0m;
        var peak = 0m;
        var drawdown = 0m;
        foreach (var pnl in realizedPnlInCloseOrder)
        {
            trades++;
            if (pnl > 0)
            {
                wins++;
            }

            cumulative += pnl;
            peak = Math.Max(peak, cumulative);
            drawdown = Math.Max(drawdown, peak - cumulative);
        }

        return new LeaderPerformance(trades, wins, cumulative, drawdown);
    }

    /// <summary>
    /// The largest peak-to-trough fall of the running sum. The peak starts at 0 (before the first trade), so a
    /// leader whose first trades lose has a drawdown from the money they started with.
    /// </summary>
    public static decimal MaxDrawdownOf(IEnumerable<decimal> realizedPnlInCloseOrder) => FromCloses(realizedPnlInCloseOrder).MaxDrawdown;
}

/// <summary>A bot trader who offers to be followed, as /leaders shows them.</summary>
public sealed record BotLeaderStanding(UserId User, string DisplayName, int Followers, LeaderPerformance Performance)
{
    public LeaderRef Leader => LeaderRef.Bot(User);
}

/// <summary>
/// An on-chain wallet someone here follows: its followers and the swaps the watcher recorded for it. No PnL: a
/// wallet's swaps say what it traded, not what the tokens it sold had cost it.
/// </summary>
public sealed record EvmLeaderActivity(string Address, int Followers, int RecordedSwaps)
{
    public LeaderRef Leader => LeaderRef.Evm(Address);
}

/// <summary>The reads behind /leaders.</summary>
public interface ILeaderBoard
{
    /// <summary>Opted-in bot traders, best realized PnL over all time first (then more trades, then lower id), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<BotLeaderStanding>> TopBotLeadersAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Followed EVM addresses, most followers first (then address), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<EvmLeaderActivity>> FollowedEvmLeadersAsync(int limit, CancellationToken cancellationToken);
}
