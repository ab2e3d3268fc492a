using VantaBot.Trading.Markets;

namespace VantaBot.Trading.Copy;

/// <summary>How a follower sizes a mirrored trade.</summary>
public enum CopySizeKind
{
    /// <summary>A fixed amount in USD per trade (perps: collateral; swaps: the input's USD value).</summary>
    FixedUsd,

    /// <summary>A share of the leader's trade (perps: of the leader's collateral; swaps: of the leader's input amount).</summary>
    PercentOfLeader,
}

public sealed record CopySize(CopySizeKind Kind, decimal Value)
{
    /// <summary>A follower who names no size copies the leader's trade at its own size.</summary>
    public static CopySize Default { get; } = new(CopySizeKind.PercentOfLeader, 100m);

    public override string ToString() => Kind == CopySizeKind.FixedUsd ? $"{Value:#,0.##} USD" : $"{Value:0.##}%";
}

/// <summary>
/// One follower's rules for one leader. <see cref="MaxUsd"/> caps a mirrored trade's size in USD (perps: collateral;
/// swaps: input value); <see cref="MaxLeverage"/> caps a mirrored perp's leverage (the mirror opens at the cap);
/// <see cref="Pairs"/>, when set, is the base assets copied (a swap counts when either token's base is listed, WETH as ETH).
/// </summary>
public sealed record FollowSettings(CopySize Size, decimal? MaxUsd, decimal? MaxLeverage, IReadOnlySet<string>? Pairs)
{
    public static FollowSettings Default { get; } = new(CopySize.Default, null, null, null);

    /// <summary>Whether a trade in <paramref name="baseAsset"/> is copied (pairs are compared by base asset, case-insensitive).</summary>
    public bool Covers(string baseAsset) =>
        Pairs is null || Pairs.Contains(Normalize(baseAsset));

    public bool Covers(Pair pair) => Covers(pair.Base);

    /// <summary>Wrapped native coins count as the coin: following ETH copies WETH swaps.</summary>
    public static string Normalize(string asset)
    {
        var upper = asset.Trim().ToUpperInvariant();
        return upper is "WETH" or "WBTC" or "WSOL" or "WMATIC" or "WBNB" or "WAVAX" ? upper[1..] : upper;
    }
}

/// <summary>A follower following a leader.</summary>
public sealed record Follow(Users.UserId Follower, LeaderRef Leader, FollowSettings Settings, DateTimeOffset Since);
