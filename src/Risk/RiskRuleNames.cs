namespace VantaBot.Risk;

/// <summary>The names of the built-in rules, in the order <see cref="LeverageSafetyManager"/> runs them.</summary>
public static class RiskRuleNames
{
    /// <summary>Not a rule class: the manager's own check that the request's numbers are coherent.</summary>
    public const string InvalidRequest = "InvalidRequest";

    public const string StalePrice = "StalePrice";
    public const string LeverageBounds = "LeverageBounds";
    public const string DailyLoss = "DailyLoss";
    public const string ExitPriceSide = "ExitPriceSide";
    public const string LiquidationBuffer = "LiquidationBuffer";
    public const string MaxPosition = "MaxPosition";
    public const string MaxRiskPerPosition = "MaxRiskPerPosition";
    public const string HighLeverageConfirmation = "HighLeverageConfirmation";

    /// <summary>Built-in rules, cheap and absolute first; the confirmation rule last.</summary>
    public static IReadOnlyList<string> BuiltInOrder { get; } =
    [
        StalePrice,
        LeverageBounds,
        DailyLoss,
        ExitPriceSide,
        LiquidationBuffer,
        MaxPosition,
        MaxRiskPerPosition,
        HighLeverageConfirmation,
    ];
}
