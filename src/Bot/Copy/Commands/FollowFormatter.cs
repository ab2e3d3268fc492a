using System.Globalization;
using VantaBot.Bot.Commands;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Swaps;

namespace VantaBot.Bot.Copy.Commands;

/// <summary>How follow rules and leaders read in chat.</summary>
public static class FollowFormatter
{
    /// <summary>"size 100% of the leader's trade · cap none · max leverage the leader's · pairs all".</summary>
    public static string Rules(FollowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var size = settings.Size.Kind == CopySizeKind.FixedUsd
            ? $"{Money.Format(settings.Size.Value)} USD per trade"
            : $"{settings.Size.Value.ToString("0.##", CultureInfo.InvariantCulture)}% of the leader's trade";
        var cap = settings.MaxUsd is { } max ? $"{Money.Format(max)} USD per trade" : "none";
        var leverage = settings.MaxLeverage is { } lev ? lev.ToString("0.##", CultureInfo.InvariantCulture) + "x" : "the leader's";
        var pairs = settings.Pairs is { Count: > 0 } set ? string.Join(", ", set.Order(StringComparer.Ordinal)) : "all";
        return $"size {size} · cap {cap} · max leverage {leverage} · pairs {pairs}";
    }

    /// <summary>The leader as a trader can type it back: the checksummed address, or the id with the name /leaders shows.</summary>
    public static string Leader(LeaderRef leader, string? displayName = null) => leader.Kind == LeaderKind.Evm
        ? $"{Address(leader.Key)} (on-chain wallet)"
        : string.IsNullOrWhiteSpace(displayName) ? $"#{leader.Key}" : $"#{leader.Key} ({displayName})";

    /// <summary>An EVM leader's key (lower case) in its EIP-55 form, the way explorers and wallets show it.</summary>
    public static string Address(string key) => EvmAddress.TryParse(key, out var address) ? address.ToString() : key;

    /// <summary>What following this leader copies.</summary>
    public static string Scope(LeaderRef leader, ISwapCatalog swaps)
    {
        ArgumentNullException.ThrowIfNull(swaps);
        if (leader.Kind == LeaderKind.Bot)
        {
            return "Copied: the leader's own perps opens and closes (a close or reduce closes the same share of your mirrored position), never trades they copied themselves.";
        }

        return swaps.Chains.Count == 0
            ? "Copied: the wallet's swaps on the configured routers — but no swap chain is configured on this deployment, so nothing is copied until one is."
            : $"Copied: the wallet's swaps on the configured routers of {string.Join(", ", swaps.Chains.Select(c => c.Name))}.";
    }

    public const string MirrorsAreOrders =
        "Each mirror is a normal order of yours: your own balance, limits, risk rules, copy rate limit and execution mode (DRY or LIVE) apply, " +
        "and a mirror that cannot go through is reported to you with the reason.";
}
