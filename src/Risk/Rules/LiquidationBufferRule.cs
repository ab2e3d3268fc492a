using Microsoft.Extensions.Options;

namespace VantaBot.Risk;

/// <summary>
/// The stop-loss must fire at least <see cref="RiskOptions.LiquidationBufferFraction"/> of collateral before
/// liquidation, and strictly before the liquidation price: long SL ≥ <see cref="RiskMath.StopLossLimit"/> and
/// SL &gt; liquidation; short mirrored. With liquidation at a 90% loss and a 5% buffer: loss at SL ≤ 85%.
/// Prices are compared (not fractions), so the bot's default stop-loss passes by construction.
/// </summary>
public sealed class LiquidationBufferRule(IOptions<RiskOptions> options) : IOpenRiskRule
{
    private readonly RiskOptions _options = options.Value;

    public string Name => RiskRuleNames.LiquidationBuffer;

    public RiskCheck Check(OpenRiskRequest request, decimal effectiveStopLoss)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = _options.LiquidationBufferFraction;
        var limit = RiskMath.StopLossLimit(request, buffer);
        var liquidation = request.LiquidationPrice;
        var ok = request.IsLong
            ? effectiveStopLoss >= limit && effectiveStopLoss > liquidation
            : effectiveStopLoss <= limit && effectiveStopLoss < liquidation;
        if (ok)
        {
            return RiskCheck.Pass;
        }

        return RiskCheck.Reject(
            $"Liquidation buffer: the stop-loss at {RiskFormat.Price(effectiveStopLoss)} would lose " +
            $"{RiskFormat.Percent(RiskMath.LossFractionAt(request, effectiveStopLoss))} of collateral; it must fire at least " +
            $"{RiskFormat.Percent(buffer)} of collateral before liquidation at {RiskFormat.Price(liquidation)}, so at or " +
            $"{(request.IsLong ? "above" : "below")} {RiskFormat.Price(limit)} for this {request.Side} " +
            $"(a loss of at most {RiskFormat.Percent(RiskMath.LossFractionAt(request, limit))}).");
    }
}
