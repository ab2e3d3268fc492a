using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Perps;

/// <summary>One open position at the current mark; <see cref="Mark"/> is null when the pair has no price right now.</summary>
public sealed record PositionValuation(Position Position, decimal? Mark, bool IsStale)
{
    /// <summary>Gross PnL at the mark (fees on close not deducted); 0 without a price.</summary>
    public decimal UnrealizedPnl => Mark is { } mark ? PerpMath.GrossPnl(Position.Side, Position.EntryPrice, mark, Position.Notional) : 0m;

    public decimal Value => Position.Collateral + UnrealizedPnl;
}

/// <summary>A user's money at one moment: cash (balance, holds) plus every open position at its mark.</summary>
public sealed record PortfolioSnapshot(AccountSnapshot Account, IReadOnlyList<PositionValuation> Positions)
{
    public decimal UnrealizedPnl => Positions.Sum(p => p.UnrealizedPnl);

    public decimal PositionsValue => Positions.Sum(p => p.Value);

    /// <summary>Balance plus what the open positions are worth at their marks.</summary>
    public decimal Equity => Account.Balance + PositionsValue;

    /// <summary>True when a position had no price and counts at its collateral only.</summary>
    public bool IsIncomplete => Positions.Any(p => p.Mark is null);
}

/// <summary>Values a user's account and open positions, pricing each pair once.</summary>
public sealed class PortfolioValuation(IHoldingsReader holdings, IPriceFeed prices)
{
    public Task<PortfolioSnapshot> ValueAsync(UserId user, CancellationToken cancellationToken) => ValueAsync(user, null, cancellationToken);

    /// <param name="known">A reading the caller already took (the order's pair), so that pair is not priced again.</param>
    public async Task<PortfolioSnapshot> ValueAsync(UserId user, PriceReading? known, CancellationToken cancellationToken)
    {
        var (account, open) = await holdings.ReadHoldingsAsync(user, cancellationToken);
        var readings = new Dictionary<Pair, PriceReading?>();
        if (known is not null)
        {
            readings[known.Quote.Pair] = known;
        }

        var valued = new List<PositionValuation>(open.Count);
        foreach (var position in open)
        {
            if (!readings.TryGetValue(position.Pair, out var reading))
            {
                reading = readings[position.Pair] = await prices.GetPriceAsync(position.Pair, cancellationToken);
            }

            valued.Add(new PositionValuation(position, reading?.Quote.Price, reading?.IsStale ?? true));
        }

        return new PortfolioSnapshot(account, valued);
    }
}
