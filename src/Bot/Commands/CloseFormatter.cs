using System.Globalization;
using System.Text;
using VantaBot.Trading.Perps;

namespace VantaBot.Bot.Commands;

/// <summary>How a settled close reads in chat, whoever caused it (the trader, a TP/SL, a liquidation).</summary>
public static class CloseFormatter
{
    public static string Describe(PositionClose close, Position? remaining)
    {
        var text = new StringBuilder();
        text.Append(Headline(close)).Append(' ').Append(close.Side == Side.Long ? "LONG " : "SHORT ").Append(close.Pair).Append(' ')
            .Append(close.Leverage.ToString("0.##", CultureInfo.InvariantCulture)).Append('x');
        if (!close.ClosedFully)
        {
            text.Append(" — ").Append((close.Fraction * 100m).ToString("0.##", CultureInfo.InvariantCulture)).Append('%');
        }

        text.AppendLine(" (paper)");
        text.Append("Position ").Append(close.Position).Append(" · entry ").Append(Money.Price(close.EntryPrice)).Append(" · exit ").AppendLine(Money.Price(close.ExitPrice));
        text.Append("PnL ").Append(Money.Signed(close.RealizedPnl)).Append(" USDC after fees (").Append(Money.Format(close.Fees)).Append(") · returned ")
            .Append(Money.Format(close.Payout)).Append(" USDC");
        if (remaining is not null)
        {
            text.AppendLine().Append("Still open: collateral ").Append(Money.Format(remaining.Collateral)).Append(" · size ").Append(Money.Format(remaining.Notional)).Append(" USD");
        }

        return text.ToString();
    }

    private static string Headline(PositionClose close) => close.Reason switch
    {
        CloseReason.TakeProfit => "🎯 Take-profit hit: closed",
        CloseReason.StopLoss => "🛑 Stop-loss hit: closed",
        CloseReason.Liquidation => "💥 Liquidated:",
        CloseReason.EmergencyStop => "⛔ Closed by an emergency stop:",
        CloseReason.Copy => "🔁 Closed (copied):",
        _ => "✅ Closed",
    };
}
