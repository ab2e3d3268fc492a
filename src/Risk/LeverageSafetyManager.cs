using Microsoft.Extensions.Options;

namespace VantaBot.Risk;

/// <summary>
/// Judges an order that opens or adds to a leveraged position: picks the effective stop-loss (the trader's, or the
/// bot's default exactly at the liquidation buffer), runs every rule, and returns the first rejection; otherwise a
/// confirmation request when a rule asked for one; otherwise approval with the stop-loss to place.
/// </summary>
/// <remarks>
/// The manager fixes the order: the built-in rules in <see cref="RiskRuleNames.BuiltInOrder"/> (cheap and absolute
/// first), then any additional rules in the order given. Every built-in rule must be supplied — a missing safety rule
/// is a wiring bug and fails construction. A confirmation never short-circuits: all rules run, so a card is shown only
/// for an order that would otherwise be approved.
/// </remarks>
public sealed class LeverageSafetyManager
{
    private readonly IOpenRiskRule[] _rules;
    private readonly RiskOptions _options;

    public LeverageSafetyManager(IEnumerable<IOpenRiskRule> rules, IOptions<RiskOptions> options)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;

        var given = rules.ToArray();
        var duplicates = given.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicates.Length > 0)
        {
            throw new ArgumentException($"Risk rules registered more than once: {string.Join(", ", duplicates)}.", nameof(rules));
        }

        var missing = RiskRuleNames.BuiltInOrder.Where(n => given.All(r => r.Name != n)).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException($"Risk rules missing: {string.Join(", ", missing)}.", nameof(rules));
        }

        // OrderBy is stable: additional rules keep their given order after the built-ins.
        _rules = given
            .OrderBy(r => Rank(r.Name))
            .ToArray();
    }

    /// <summary>The rule names in the order they run.</summary>
    public IReadOnlyList<string> RuleOrder => _rules.Select(r => r.Name).ToArray();

    /// <summary>Every built-in rule, for wiring and tests.</summary>
    public static IReadOnlyList<IOpenRiskRule> BuiltInRules(IOptions<RiskOptions> options) =>
    [
        new StalePriceRule(),
        new LeverageBoundsRule(),
        new DailyLossRule(options),
        new ExitPriceSideRule(),
        new LiquidationBufferRule(options),
        new MaxPositionRule(options),
        new MaxRiskPerPositionRule(options),
        new HighLeverageConfirmationRule(options),
    ];

    public RiskDecision Evaluate(OpenRiskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Incoherence(request) is { } problem)
        {
            return new RiskDecision.Rejected(RiskRuleNames.InvalidRequest, $"Invalid order data: {problem}.");
        }

        var setByBot = request.StopLoss is null;
        var stopLoss = request.StopLoss ?? RiskMath.DefaultStopLoss(request, _options.LiquidationBufferFraction);

        string? confirmation = null;
        foreach (var rule in _rules)
        {
            var check = rule.Check(request, stopLoss);
            switch (check.Outcome)
            {
                case RiskCheckOutcome.Reject:
                    return new RiskDecision.Rejected(rule.Name, check.Message ?? $"{rule.Name} refused the order.");
                case RiskCheckOutcome.NeedsConfirmation:
                    confirmation ??= check.Message ?? $"{rule.Name} asks for confirmation.";
                    break;
            }
        }

        if (confirmation is not null)
        {
            return new RiskDecision.NeedsConfirmation(confirmation);
        }

        IReadOnlyList<string> notes = setByBot
            ?
            [
                $"Stop-loss set by the bot at {RiskFormat.Price(stopLoss)} " +
                $"({RiskFormat.Percent(_options.LiquidationBufferFraction)} of collateral before liquidation at " +
                $"{RiskFormat.Price(request.LiquidationPrice)})",
            ]
            : [];
        return new RiskDecision.Approved(stopLoss, setByBot, notes);
    }

    private static int Rank(string name)
    {
        for (var i = 0; i < RiskRuleNames.BuiltInOrder.Count; i++)
        {
            if (RiskRuleNames.BuiltInOrder[i] == name)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    /// <summary>Numbers no rule can judge (non-positive prices, liquidation on the wrong side, ...): fail closed.</summary>
    private static string? Incoherence(OpenRiskRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Pair))
        {
            return "the pair is empty";
        }

        if (r.Collateral <= 0m || r.Leverage <= 0m)
        {
            return $"collateral {RiskFormat.Usd(r.Collateral)} USD and leverage {RiskFormat.Leverage(r.Leverage)} must be positive";
        }

        if (r.EntryPrice <= 0m || r.MarkPrice <= 0m || r.LiquidationPrice <= 0m)
        {
            return $"entry {RiskFormat.Price(r.EntryPrice)}, mark {RiskFormat.Price(r.MarkPrice)} and liquidation " +
                   $"{RiskFormat.Price(r.LiquidationPrice)} must be positive";
        }

        if (r.IsLong ? r.LiquidationPrice >= r.EntryPrice : r.LiquidationPrice <= r.EntryPrice)
        {
            return $"a {r.Side}'s liquidation price {RiskFormat.Price(r.LiquidationPrice)} must be " +
                   $"{(r.IsLong ? "below" : "above")} the entry {RiskFormat.Price(r.EntryPrice)}";
        }

        if (r.StopLoss <= 0m || r.TakeProfit <= 0m)
        {
            return "stop-loss and take-profit must be positive prices";
        }

        if (r.OpenFee < 0m || r.EstimatedCloseFee < 0m || r.ExistingNotionalInPair < 0m || r.ExistingAtRiskInPair < 0m)
        {
            return "fees and existing exposure cannot be negative";
        }

        if (r.LeverageMin <= 0m || r.LeverageMin > r.LeverageMax)
        {
            return $"leverage bounds {RiskFormat.Leverage(r.LeverageMin)}–{RiskFormat.Leverage(r.LeverageMax)} are not a range";
        }

        return null;
    }
}
