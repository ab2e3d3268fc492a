using System.Globalization;
using System.Text;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

public sealed class PositionsCommand(IOrderIntentStore positions, IPriceFeed prices) : ICommandHandler, ICommandMetadata
{
    public static string Command => "positions";

    public static Role MinimumRole => Role.Viewer;

    public static string Usage => "/positions";

    public static string Description => "Your open positions with mark price, PnL and liquidation price";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var open = await positions.GetOpenPositionsAsync(context.User.Id, cancellationToken);
        if (open.Count == 0)
        {
            await context.ReplyAsync("No open positions. Open one with /long or /short, e.g. /long ETH 100 10x.", cancellationToken);
            return UpdateOutcome.Ok;
        }

        var readings = new Dictionary<Trading.Markets.Pair, PriceReading?>();
        var text = new StringBuilder("Open positions:");
        foreach (var p in open)
        {
            if (!readings.TryGetValue(p.Pair, out var reading))
            {
                reading = readings[p.Pair] = await prices.GetPriceAsync(p.Pair, cancellationToken);
            }

            text.AppendLine().AppendLine();
            text.Append(p.Id).Append(' ').Append(p.Side == Side.Long ? "LONG " : "SHORT ").Append(p.Pair).Append(' ')
                .Append(p.Leverage.ToString("0.##", CultureInfo.InvariantCulture)).AppendLine("x");
            text.Append("collateral ").Append(Money.Format(p.Collateral)).Append(" · size ").Append(Money.Format(p.Notional))
                .Append(" · entry ").AppendLine(Money.Price(p.EntryPrice));
            if (reading is null)
            {
                text.AppendLine("mark: no price right now");
            }
            else
            {
                var pnl = PerpMath.GrossPnl(p.Side, p.EntryPrice, reading.Quote.Price, p.Notional);
                text.Append("mark ").Append(Money.Price(reading.Quote.Price)).Append(reading.IsStale ? " (STALE)" : "")
                    .Append(" · PnL ").Append(Money.Signed(pnl)).AppendLine(" USDC");
            }

            text.Append("liquidation ").Append(Money.Price(p.LiquidationPrice)).Append(" · SL ").Append(Money.Price(p.StopLoss))
                .Append(" · TP ").Append(p.TakeProfit is { } tp ? Money.Price(tp) : "none");
        }

        await context.ReplyAsync(text.ToString(), cancellationToken);
        return UpdateOutcome.Ok;
    }
}
