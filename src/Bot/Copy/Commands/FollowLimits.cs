using VantaBot.Trading.Copy;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Swaps;

namespace VantaBot.Bot.Copy.Commands;

/// <summary>
/// What a follow rule may name on this deployment: the assets of the listed perp markets and swap tokens (wrapped
/// coins as their coin, the way <see cref="FollowSettings.Covers(string)"/> compares them) and the highest leverage
/// any listed market allows.
/// </summary>
public sealed record FollowLimits(IReadOnlySet<string> Assets, decimal MaxLeverage)
{
    public static FollowLimits From(IPerpMarketCatalog markets, ISwapCatalog swaps)
    {
        ArgumentNullException.ThrowIfNull(markets);
        ArgumentNullException.ThrowIfNull(swaps);
        var assets = markets.Markets.Select(m => m.Pair.Base)
            .Concat(swaps.Chains.SelectMany(c => c.Tokens).Select(t => t.Symbol))
            .Select(FollowSettings.Normalize)
            .ToHashSet(StringComparer.Ordinal);
        var maxLeverage = markets.Markets.Count == 0 ? 0m : markets.Markets.Max(m => m.MaxLeverage);
        return new FollowLimits(assets, maxLeverage);
    }
}
