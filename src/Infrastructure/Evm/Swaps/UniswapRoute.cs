using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace VantaBot.Infrastructure.Evm.Swaps;

public enum UniswapVersion
{
    V2,
    V3,
}

/// <summary>
/// A single-hop Uniswap route and its name as stored on the swap intent: "uniswap-v2", or "uniswap-v3/0.3%" with the
/// pool's fee tier. The venue executes exactly the route the trader was quoted, parsed back from that name.
/// </summary>
public sealed record UniswapRoute(UniswapVersion Version, int Fee)
{
    public const string V2Name = "uniswap-v2";
    public const string V3Prefix = "uniswap-v3/";

    public static UniswapRoute V2 { get; } = new(UniswapVersion.V2, 3000);

    /// <summary>The V2 pool fee (0.3%) and the V3 tier, in hundredths of a basis point.</summary>
    public decimal FeeFraction => Fee / 1_000_000m;

    public string Name => Version == UniswapVersion.V2
        ? V2Name
        : V3Prefix + (Fee / 10_000m).ToString("0.####", CultureInfo.InvariantCulture) + "%";

    public static UniswapRoute V3(int fee) => new(UniswapVersion.V3, fee);

    public static bool TryParse(string? name, [NotNullWhen(true)] out UniswapRoute? route)
    {
        route = null;
        if (name == V2Name)
        {
            route = V2;
            return true;
        }

        if (name is null || !name.StartsWith(V3Prefix, StringComparison.Ordinal) || !name.EndsWith('%'))
        {
            return false;
        }

        var percent = name[V3Prefix.Length..^1];
        if (!decimal.TryParse(percent, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var fee = value * 10_000m;
        if (fee != decimal.Truncate(fee) || fee is <= 0 or >= 1_000_000)
        {
            return false;
        }

        route = V3((int)fee);
        return route.Name == name;
    }

    public override string ToString() => Name;
}
