namespace VantaBot.Trading.Perps;

/// <summary>The rejection codes every perps venue uses, so callers and the contract tests can match on them.</summary>
public static class PerpRejectionCodes
{
    public const string UnknownPair = "unknown_pair";
    public const string StalePrice = "stale_price";
    public const string PriceMoved = "price_moved";
    public const string NotTriggered = "not_triggered";
    public const string LeverageBounds = "leverage_bounds";
    public const string MinPosition = "min_position";
    public const string TakeProfit = "take_profit";
    public const string StopLoss = "stop_loss";
    public const string Collateral = "collateral";
    public const string Fraction = "fraction";
    public const string InvalidPosition = "invalid_position";
    public const string ClientOrderIdReused = "client_order_id_reused";
}
