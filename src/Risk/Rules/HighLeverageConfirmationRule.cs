using Microsoft.Extensions.Options;

namespace VantaBot.Risk;

/// <summary>
/// Leverage strictly above <see cref="RiskOptions.ConfirmationLeverageAbove"/> needs the trader's explicit
/// confirmation (<see cref="OpenRiskRequest.IsConfirmed"/>). Never rejects; the manager only asks for confirmation
/// when every other rule passes.
/// </summary>
public sealed class HighLeverageConfirmationRule(IOptions<RiskOptions> options) : IOpenRiskRule
{
    private readonly RiskOptions _options = options.Value;

    public string Name => RiskRuleNames.HighLeverageConfirmation;

    public RiskCheck Check(OpenRiskRequest request, decimal effectiveStopLoss)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Leverage <= _options.ConfirmationLeverageAbove || request.IsConfirmed)
        {
            return RiskCheck.Pass;
        }

        var distance = Math.Abs(request.EntryPrice - request.LiquidationPrice) / request.EntryPrice;
        return RiskCheck.Confirm(
            $"High leverage: {request.Pair} {request.Side} at {RiskFormat.Leverage(request.Leverage)} " +
            $"(above {RiskFormat.Leverage(_options.ConfirmationLeverageAbove)}), {RiskFormat.Usd(request.Notional)} USD notional. " +
            $"Liquidation at {RiskFormat.Price(request.LiquidationPrice)}, {RiskFormat.Percent(distance)} from the entry " +
            $"{RiskFormat.Price(request.EntryPrice)}. Stop-loss at {RiskFormat.Price(effectiveStopLoss)}. " +
            $"Fees: {RiskFormat.Usd(request.OpenFee)} USD to open + {RiskFormat.Usd(request.EstimatedCloseFee)} USD " +
            "estimated to close. Confirm to place the order.");
    }
}
