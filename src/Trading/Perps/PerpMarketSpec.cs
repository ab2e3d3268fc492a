using VantaBot.Trading.Markets;

namespace VantaBot.Trading.Perps;

/// <summary>
/// A venue's economics for one pair: everything the paper venue and the risk rules need, as data rather than
/// constants in code. Rates are fractions (0.0006 = 6 bps).
/// </summary>
public sealed record PerpMarketSpec
{
    public required Pair Pair { get; init; }

    /// <summary>The standard group's bounds, e.g. 1–75x.</summary>
    public required LeverageBounds Standard { get; init; }

    /// <summary>The high-leverage group's bounds (e.g. 75–500x), when the venue lists one for this pair.</summary>
    public LeverageBounds? HighLeverage { get; init; }

    /// <summary>Fee on notional at open and again at close (Avantis: 6 bps on BTC/ETH/SOL, 8 bps on others).</summary>
    public required decimal OpenCloseFeeRate { get; init; }

    /// <summary>Half-spread applied against the trader at fill: longs buy above mark, shorts sell below.</summary>
    public required decimal SpreadRate { get; init; }

    /// <summary>Rollover (margin) fee per hour, as a fraction of notional, accruing while the position is open.</summary>
    public required decimal RolloverFeeRatePerHour { get; init; }

    /// <summary>Smallest notional (collateral × leverage) the venue accepts, in USDC.</summary>
    public decimal MinPositionUsd { get; init; } = 100m;

    /// <summary>Take-profit is capped at this profit on collateral (Avantis MAX_GAIN_P: +900%).</summary>
    public decimal MaxGainFraction { get; init; } = 9m;

    /// <summary>Stop-loss may be at most this loss on collateral (Avantis MAX_SL_P: −80%).</summary>
    public decimal MaxStopLossFraction { get; init; } = 0.8m;

    /// <summary>Liquidated when the remaining value is at or below this fraction of collateral (v1: 10%).</summary>
    public decimal LiquidationRemainingFraction { get; init; } = 0.1m;

    /// <summary>The bounds that admit <paramref name="leverage"/>, or null when no group does.</summary>
    public LeverageBounds? BoundsFor(decimal leverage) =>
        Standard.Contains(leverage) ? Standard : HighLeverage is { } high && high.Contains(leverage) ? high : null;

    public decimal MaxLeverage => HighLeverage?.Max ?? Standard.Max;
}
