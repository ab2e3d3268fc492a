using System.Globalization;
using VantaBot.Trading.Gates;

namespace VantaBot.Trading.Prices;

/// <summary>
/// A pair without an agreed fresh price is close-only: new positions are refused before risk is even
/// asked, closes pass (reducing exposure needs no fresh price to be safe, and a trader must always be able to
/// get out). The check reads the feed, so it both decides and refreshes the pair's close-only state.
/// </summary>
public sealed class CloseOnlyGate(IPriceFeed feed) : ITradeGate
{
    public const string GateName = "CloseOnly";

    public TradeGateStage Stage => TradeGateStage.BeforeRisk;

    public async ValueTask<GateDecision> CheckAsync(TradeAttempt attempt, CancellationToken cancellationToken)
    {
        // Closes reduce risk, and a swap is priced by its own on-chain quote (re-quoted when old), not by the feed.
        if (attempt.Action != TradeAction.OpenPerp || attempt.Pair is not { } pair)
        {
            return GateDecision.Allow;
        }

        var reading = await feed.GetPriceAsync(pair, cancellationToken);
        if (reading is null)
        {
            return GateDecision.Refuse(GateName, $"{pair} is close-only: no source has priced it yet. New positions are paused; closing stays open. No order was placed.");
        }

        if (!reading.IsStale)
        {
            return GateDecision.Allow;
        }

        var age = reading.Age.TotalSeconds < 120
            ? reading.Age.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s"
            : reading.Age.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min";
        return GateDecision.Refuse(
            GateName,
            $"{pair} is close-only: {reading.StaleReason ?? "its price is stale"} (last agreed price {reading.Quote.Price.ToString("#,0.########", CultureInfo.InvariantCulture)} USD, {age} old). " +
            "New positions are paused until fresh prices return; closing stays open. No order was placed.");
    }
}
