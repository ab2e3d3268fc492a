using VantaBot.Trading.Ledger;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Perps;

/// <summary>A user's cash and open positions as of one moment.</summary>
public sealed record Holdings(AccountSnapshot Account, IReadOnlyList<Position> OpenPositions);

/// <summary>
/// Reads <see cref="Holdings"/> in one go: the account and its open positions from one snapshot of the database,
/// in one round trip, because every order, /balance and /pnl values the portfolio before anything else.
/// </summary>
public interface IHoldingsReader
{
    /// <returns>Zero balances and no positions for a user who never had an account.</returns>
    Task<Holdings> ReadHoldingsAsync(UserId user, CancellationToken cancellationToken);
}
