namespace VantaBot.Risk;

/// <summary>
/// Risk limits under <c>Risk__*</c>. Validated at start by <see cref="RiskOptionsValidator"/>.
/// Fractions are plain fractions (0.10 = 10%).
/// </summary>
public sealed class RiskOptions
{
    public const string Section = "Risk";

    /// <summary>
    /// Largest notional (collateral × leverage, USD) a user may hold in one pair: the user's open positions in the
    /// pair plus the new one, so adding to a position cannot bypass it. A notional exactly at the limit passes.
    /// </summary>
    public decimal MaxPositionUsd { get; set; } = 100_000m;

    /// <summary>
    /// Largest share of account equity that may be lost in one pair if the stop-losses fire: the new position's
    /// loss at its stop-loss plus its open and close fees, plus what the pair's open positions already risk.
    /// Exactly at the limit passes.
    /// </summary>
    public decimal MaxRiskPerPositionFraction { get; set; } = 0.10m;

    /// <summary>
    /// Every position carries a stop-loss that fires at least this share of collateral before liquidation. With the
    /// venue liquidating at 10% remaining (a 90% loss) and the default 5% buffer, the stop-loss may lose at most 85%.
    /// </summary>
    public decimal LiquidationBufferFraction { get; set; } = 0.05m;

    /// <summary>
    /// When today's equity is this share or more below the day's starting equity, new positions are blocked until the
    /// daily reset. Exactly at the limit blocks.
    /// </summary>
    public decimal DailyLossLimitFraction { get; set; } = 0.20m;

    /// <summary>Orders with leverage strictly above this need an explicit confirmation (50x itself does not).</summary>
    public decimal ConfirmationLeverageAbove { get; set; } = 50m;

    /// <summary>How long a confirmation card stays valid; the caller re-evaluates on fresh prices after it expires.</summary>
    public TimeSpan ConfirmationTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How far the fill may move against the trader from the price the order was checked on (0.005 = 0.5%). The
    /// venue refuses a worse fill, so no order executes on a quote older than the decision; a bot-set stop-loss
    /// keeps this margin inside the venue's cap so a small move cannot push it out of bounds.
    /// </summary>
    public decimal MaxSlippageFraction { get; set; } = 0.005m;
}
