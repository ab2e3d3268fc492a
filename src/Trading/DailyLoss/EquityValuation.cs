using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.DailyLoss;

/// <summary>
/// A user's equity now: ledger balance plus, for every open position, its collateral and unrealised PnL at the
/// pair's current mark (the entry price when the pair has no price). The same sum the trade path's risk check
/// uses, so the day's start and the current equity compare like with like.
/// </summary>
public sealed class EquityValuation(IAccountLedger ledger, IOrderIntentStore positions, IPriceFeed prices)
{
    public async Task<decimal> ValueAsync(UserId user, CancellationToken cancellationToken)
    {
        var account = await ledger.GetAsync(user, cancellationToken);
        var equity = account.Balance;
        var marks = new Dictionary<Pair, decimal?>();
        foreach (var position in await positions.GetOpenPositionsAsync(user, cancellationToken))
        {
            if (!marks.TryGetValue(position.Pair, out var mark))
            {
                mark = marks[position.Pair] = (await prices.GetPriceAsync(position.Pair, cancellationToken))?.Quote.Price;
            }

            equity += position.Collateral + Perps.PerpMath.GrossPnl(position.Side, position.EntryPrice, mark ?? position.EntryPrice, position.Notional);
        }

        return equity;
    }
}
