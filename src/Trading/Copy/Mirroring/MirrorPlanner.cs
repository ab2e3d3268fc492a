using System.Globalization;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Copy.Mirroring;

/// <summary>What a follower's copy of a leader trade is: an order to run, or why there is none.</summary>
public abstract record MirrorPlan
{
    public sealed record OpenPerp(OpenPositionOrder Order, IReadOnlyList<string> Notes) : MirrorPlan;

    public sealed record Swap(SwapOrder Order, IReadOnlyList<string> Notes) : MirrorPlan;

    public sealed record Skip(string Reason) : MirrorPlan;
}

/// <summary>
/// Turns a leader trade and a follower's rules into the follower's order (pure: no prices are read here, the caller
/// passes what it knows). Sizing: a fixed USD amount (perps: collateral; swaps: input value), or a share of the
/// leader's collateral / input amount; <c>max</c> caps it; <c>maxlev</c> lowers the leverage; <c>pairs</c> filters.
/// </summary>
public static class MirrorPlanner
{
    /// <summary>Every mirrored order's idempotency key: one per follower and leader trade, whatever happens.</summary>
    public static string KeyFor(long leaderTradeId) => "copy:" + leaderTradeId.ToString(CultureInfo.InvariantCulture);

    public static MirrorPlan PlanOpen(LeaderTrade.PerpOpen trade, FollowSettings settings, UserId follower, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Covers(trade.Pair))
        {
            return new MirrorPlan.Skip(PairNotFollowed(trade.Pair.Base, settings));
        }

        var notes = new List<string>();
        var collateral = settings.Size.Kind == CopySizeKind.FixedUsd ? settings.Size.Value : trade.Collateral * settings.Size.Value / 100m;
        if (settings.MaxUsd is { } max && collateral > max)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Collateral capped at your max of {max:#,0.##} USD."));
            collateral = max;
        }

        // Whole cents: a mirror never posts more than the rules allow through rounding.
        collateral = Math.Round(collateral, 2, MidpointRounding.ToZero);
        if (collateral <= 0m)
        {
            return new MirrorPlan.Skip(string.Create(CultureInfo.InvariantCulture, $"your size ({settings.Size}) of the leader's {trade.Collateral:#,0.##} USDC rounds to nothing"));
        }

        var leverage = trade.Leverage;
        if (settings.MaxLeverage is { } maxLeverage && leverage > maxLeverage)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Leverage lowered from {leverage:0.##}x to your maxlev {maxLeverage:0.##}x."));
            leverage = maxLeverage;
        }

        // Copies carry no TP/SL of their own: the bot's risk rules set the stop, and the leader's close is mirrored.
        var order = new OpenPositionOrder(follower, idempotencyKey, trade.Pair, trade.Side, collateral, leverage, null, null, IsConfirmed: false, IsCopy: true);
        return new MirrorPlan.OpenPerp(order, notes);
    }

    /// <param name="tokenInDecimals">The input token's decimals: the amount is rounded down to them.</param>
    /// <param name="usdPerTokenIn">The input token's fresh USD price, or null when no feed values it.</param>
    public static MirrorPlan PlanSwap(
        LeaderTrade.Swap trade, FollowSettings settings, UserId follower, string idempotencyKey, int tokenInDecimals, decimal? usdPerTokenIn, int slippageBasisPoints)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Covers(trade.TokenIn) && !settings.Covers(trade.TokenOut))
        {
            return new MirrorPlan.Skip(PairNotFollowed($"{trade.TokenIn}/{trade.TokenOut}", settings));
        }

        var price = usdPerTokenIn is > 0m ? usdPerTokenIn : null;
        var notes = new List<string>();
        decimal amount;
        if (settings.Size.Kind == CopySizeKind.FixedUsd)
        {
            if (price is not { } usd)
            {
                return new MirrorPlan.Skip($"no USD price for {trade.TokenIn}, so a size in USD cannot be converted; follow with size=<percent>% to copy such swaps");
            }

            amount = settings.Size.Value / usd;
        }
        else
        {
            amount = trade.AmountIn * settings.Size.Value / 100m;
        }

        if (settings.MaxUsd is { } max)
        {
            if (price is not { } usd)
            {
                return new MirrorPlan.Skip(string.Create(CultureInfo.InvariantCulture, $"no USD price for {trade.TokenIn}, so your max of {max:#,0.##} USD cannot be checked"));
            }

            if (amount * usd > max)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"Input capped at your max of {max:#,0.##} USD."));
                amount = max / usd;
            }
        }

        amount = Math.Round(amount, Math.Clamp(tokenInDecimals, 0, 18), MidpointRounding.ToZero);
        if (amount <= 0m)
        {
            return new MirrorPlan.Skip($"your size ({settings.Size}) of the leader's swap rounds to nothing");
        }

        var order = new SwapOrder(follower, idempotencyKey, trade.Chain, trade.TokenIn, trade.TokenOut, amount, slippageBasisPoints, IsCopy: true);
        return new MirrorPlan.Swap(order, notes);
    }

    /// <summary>The leader trade in a few words for a notice, e.g. <c>#123 LONG ETH 5x</c>.</summary>
    public static string Describe(LeaderTrade trade) => trade switch
    {
        LeaderTrade.PerpOpen open => string.Create(CultureInfo.InvariantCulture, $"{trade.Leader} {(open.Side == Side.Long ? "LONG" : "SHORT")} {open.Pair.Base} {open.Leverage:0.##}x"),
        LeaderTrade.PerpClose close => string.Create(CultureInfo.InvariantCulture, $"{trade.Leader} close {close.Fraction * 100m:0.##}% {close.Pair.Base}"),
        LeaderTrade.Swap swap => string.Create(CultureInfo.InvariantCulture, $"{Short(trade.Leader)} swap {swap.AmountIn:0.########} {swap.TokenIn} → {swap.TokenOut}"),
        _ => trade.Leader.ToString(),
    };

    /// <summary>The follower's notice of a skipped mirror.</summary>
    public static string SkipNotice(LeaderTrade trade, string reason) => $"⏭ Not copied: {Describe(trade)} — {reason}";

    private static string PairNotFollowed(string what, FollowSettings settings) =>
        $"{what} is not in your pairs ({string.Join(",", settings.Pairs!.Order(StringComparer.Ordinal))})";

    private static string Short(LeaderRef leader) =>
        leader.Kind == LeaderKind.Evm && leader.Key.Length > 12 ? $"{leader.Key[..6]}…{leader.Key[^4..]}" : leader.ToString();
}
