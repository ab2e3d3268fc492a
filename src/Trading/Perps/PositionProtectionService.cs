using Microsoft.Extensions.Options;
using VantaBot.Risk;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Perps;

/// <summary>How a TP/SL change ended.</summary>
public abstract record ProtectionOutcome
{
    public sealed record Updated(Position Position) : ProtectionOutcome;

    public sealed record Rejected(string Rule, string Reason) : ProtectionOutcome;
}

/// <summary>
/// Moves a position's take-profit or stop-loss under the same limits an open is held to: the right side of the
/// current mark (a level already crossed would fire at once), the venue's caps from the entry, the liquidation
/// buffer, and the per-pair risk share of equity, so widening a stop after opening cannot dodge a rule the
/// open had to pass. A stop-loss can be moved but never removed.
/// </summary>
public sealed class PositionProtectionService(
    IPositionStore positions,
    IPerpMarketCatalog markets,
    IPriceFeed prices,
    PortfolioValuation portfolio,
    IOptions<RiskOptions> riskOptions)
{
    public async Task<ProtectionOutcome> SetTakeProfitAsync(UserId user, PositionId id, decimal? takeProfit, CancellationToken cancellationToken)
    {
        var (position, spec, mark, problem) = await LoadAsync(user, id, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (takeProfit is { } tp)
        {
            var isLong = position.Side == Side.Long;
            if (tp <= 0m || (isLong ? tp <= mark : tp >= mark))
            {
                return new ProtectionOutcome.Rejected(
                    RiskRuleNames.ExitPriceSide, $"Take-profit {Fmt(tp)} must be {(isLong ? "above" : "below")} the current mark {Fmt(mark)} for a {Word(position)}.");
            }

            var cap = PerpMath.MaxTakeProfitPrice(position.Side, position.EntryPrice, position.Leverage, spec.MaxGainFraction);
            if (isLong ? tp > cap : tp < cap)
            {
                return new ProtectionOutcome.Rejected(
                    "TakeProfitCap", $"Take-profit {Fmt(tp)} is beyond the venue's +{spec.MaxGainFraction * 100:0.##}% profit cap at {position.Leverage:0.##}x; the furthest allowed is {Fmt(cap)}.");
            }
        }

        return await SaveAsync(position with { TakeProfit = takeProfit }, cancellationToken);
    }

    public async Task<ProtectionOutcome> SetStopLossAsync(UserId user, PositionId id, decimal stopLoss, CancellationToken cancellationToken)
    {
        var (position, spec, mark, problem) = await LoadAsync(user, id, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var isLong = position.Side == Side.Long;
        if (stopLoss <= 0m || (isLong ? stopLoss >= mark : stopLoss <= mark))
        {
            return new ProtectionOutcome.Rejected(
                RiskRuleNames.ExitPriceSide, $"Stop-loss {Fmt(stopLoss)} must be {(isLong ? "below" : "above")} the current mark {Fmt(mark)} for a {Word(position)}.");
        }

        var options = riskOptions.Value;
        var buffer = position.EntryPrice * options.LiquidationBufferFraction / position.Leverage;
        var bufferLimit = isLong ? position.LiquidationPrice + buffer : position.LiquidationPrice - buffer;
        var venueLimit = PerpMath.StopLossLimitPrice(position.Side, position.EntryPrice, position.Leverage, spec.MaxStopLossFraction);
        var limit = isLong ? Math.Max(bufferLimit, venueLimit) : Math.Min(bufferLimit, venueLimit);
        if (isLong ? stopLoss < limit : stopLoss > limit)
        {
            return new ProtectionOutcome.Rejected(
                RiskRuleNames.LiquidationBuffer,
                $"Stop-loss {Fmt(stopLoss)} is too close to liquidation at {Fmt(position.LiquidationPrice)} (or beyond the venue's −{spec.MaxStopLossFraction * 100:0.##}% cap); the furthest allowed is {Fmt(limit)}.");
        }

        if (await RiskShareProblemAsync(position, stopLoss, options, cancellationToken) is { } tooRisky)
        {
            return tooRisky;
        }

        return await SaveAsync(position with { StopLoss = stopLoss, StopLossSetByBot = false }, cancellationToken);
    }

    /// <summary>The same budget the open was held to: what the pair's positions lose at their stops, as a share of equity.</summary>
    private async Task<ProtectionOutcome.Rejected?> RiskShareProblemAsync(Position position, decimal stopLoss, RiskOptions options, CancellationToken cancellationToken)
    {
        var snapshot = await portfolio.ValueAsync(position.User, cancellationToken);
        var atRisk = snapshot.Positions
            .Select(v => v.Position)
            .Where(p => p.Pair == position.Pair)
            .Sum(p => p.Collateral * Math.Max(0m, PerpMath.LossFractionAtPrice(p.Side, p.EntryPrice, p.Id == position.Id ? stopLoss : p.StopLoss, p.Leverage)));
        var budget = snapshot.Equity * options.MaxRiskPerPositionFraction;
        return atRisk <= budget
            ? null
            : new ProtectionOutcome.Rejected(
                RiskRuleNames.MaxRiskPerPosition,
                $"With the stop-loss at {Fmt(stopLoss)} your {position.Pair} positions would risk {atRisk:#,0.00} USDC, above {options.MaxRiskPerPositionFraction * 100:0.##}% of equity ({budget:#,0.00} USDC).");
    }

    private async Task<(Position Position, PerpMarketSpec Spec, decimal Mark, ProtectionOutcome.Rejected? Problem)> LoadAsync(
        UserId user, PositionId id, CancellationToken cancellationToken)
    {
        var position = await positions.FindAsync(id, cancellationToken);
        if (position is null || position.User != user || position.Status != PositionStatus.Open || markets.Find(position.Pair) is not { } spec)
        {
            return (null!, null!, 0m, NotOpen(id));
        }

        // Without a fresh mark the side check would be guesswork: nothing changes and the trader tries again.
        var reading = await prices.GetPriceAsync(position.Pair, cancellationToken);
        return reading is { IsStale: false }
            ? (position, spec, reading.Quote.Price, null)
            : (position, spec, 0m, new ProtectionOutcome.Rejected(RiskRuleNames.StalePrice, $"No fresh {position.Pair} price right now; nothing was changed. Try again in a moment."));
    }

    private async Task<ProtectionOutcome> SaveAsync(Position updated, CancellationToken cancellationToken)
    {
        var saved = await positions.UpdateProtectionAsync(updated.Id, updated.User, updated.TakeProfit, updated.StopLoss, updated.StopLossSetByBot, cancellationToken);
        return saved ? new ProtectionOutcome.Updated(updated) : NotOpen(updated.Id);
    }

    private static ProtectionOutcome.Rejected NotOpen(PositionId id) => new("NoSuchPosition", $"You have no open position {id}. Send /positions to see their ids.");

    private static string Word(Position position) => position.Side == Side.Long ? "long" : "short";

    private static string Fmt(decimal price) => price.ToString("#,0.00######", System.Globalization.CultureInfo.InvariantCulture);
}
