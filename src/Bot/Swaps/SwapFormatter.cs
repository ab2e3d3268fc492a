using System.Globalization;
using System.Text;
using VantaBot.Trading.Swaps;

namespace VantaBot.Bot.Swaps;

/// <summary>The words of the swap card and of every swap outcome.</summary>
public static class SwapFormatter
{
    public static string Card(SwapPreview preview, TimeSpan ttl)
    {
        var q = preview.Quote;
        var text = new StringBuilder();
        text.Append(preview.IsLive ? "🔴 LIVE swap — real funds. " : "📝 DRY swap (paper). ")
            .Append("Confirm within ").Append(ttl.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)).AppendLine(" s.");
        text.Append("Swap ").Append(q.AmountIn.Format(q.TokenIn.Symbol)).Append(" → ").Append(q.TokenOut.Symbol).Append(" on ").Append(q.Chain).Append(" via ").AppendLine(q.Route);
        text.Append("Expected out: ").AppendLine(q.ExpectedOut.Format(q.TokenOut.Symbol));
        text.Append("Minimum out: ").Append(preview.MinimumOut.Format(q.TokenOut.Symbol))
            .Append(" (slippage ").Append((preview.Order.SlippageBasisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture)).AppendLine("%)");
        text.Append("Price impact: ").Append((q.PriceImpactFraction * 100m).ToString("0.###", CultureInfo.InvariantCulture)).AppendLine("%");
        text.Append("Gas: about ").Append(q.GasCost.Format(q.NativeSymbol)).Append(" (").Append(q.GasEstimate.ToString("#,0", CultureInfo.InvariantCulture)).Append(" gas)");
        if (preview.NotionalUsd > 0)
        {
            text.AppendLine().Append("Value: about ").Append(preview.NotionalUsd.ToString("#,0.00", CultureInfo.InvariantCulture)).Append(" USD");
        }

        return text.ToString();
    }

    public static string Describe(SwapOutcome outcome) => outcome switch
    {
        SwapOutcome.Swapped swapped => Swapped(swapped),
        SwapOutcome.Rejected rejected => $"❌ Not swapped — {rejected.Rule}: {rejected.Reason}",
        SwapOutcome.AlreadyHandled handled => Handled(handled.Intent),
        _ => outcome.Message,
    };

    private static string Swapped(SwapOutcome.Swapped swapped)
    {
        var i = swapped.Intent;
        var where = swapped.TransactionHash is { } hash ? $"on {i.Chain}\nTransaction {hash}" : $"on paper (DRY), at the {i.Chain} quote";
        return $"✅ Swapped {i.AmountIn.Format(i.TokenIn.Symbol)} → {swapped.AmountOut.Format(i.TokenOut.Symbol)} via {i.Route} {where}";
    }

    private static string Handled(SwapIntent intent) => intent.AmountOut is { } got
        ? $"This swap was already handled: {intent.AmountIn.Format(intent.TokenIn.Symbol)} → {got.Format(intent.TokenOut.Symbol)}."
        : $"This swap was already handled ({intent.State}{(intent.FailureReason is { } why ? ": " + why : "")}).";
}
