using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using VantaBot.Bot.Commands.Arguments;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Ledger;

namespace VantaBot.Bot.Copy.Commands;

/// <summary>
/// <c>/follow &lt;leader&gt; [size=&lt;usd&gt;|&lt;pct&gt;%] [max=&lt;usd&gt;] [maxlev=&lt;n&gt;x] [pairs=ETH,BTC]</c>, parsed strictly:
/// every problem is named, nothing is guessed, and an option left out keeps its default (100% of the leader's
/// size, no cap, the leader's leverage, every pair).
/// </summary>
public sealed partial record FollowArguments(LeaderRef Leader, FollowSettings Settings)
{
    /// <summary>Copying more than ten times the leader's trade is almost surely a typo (size=50% written as 5000%).</summary>
    public const decimal MaxPercent = 1000m;

    private const int LeverageDecimals = 2;
    private const int PercentDecimals = 2;

    public static bool TryParse(IReadOnlyList<string> args, FollowLimits limits, [NotNullWhen(true)] out FollowArguments? parsed, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(limits);
        parsed = null;
        if (args.Count == 0)
        {
            error = $"name the leader: {LeaderArgument.Form}";
            return false;
        }

        if (!LeaderArgument.TryParse(args[0], out var leader, out error))
        {
            return false;
        }

        CopySize? size = null;
        decimal? maxUsd = null, maxLeverage = null;
        IReadOnlySet<string>? pairs = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in args.Skip(1))
        {
            var separator = option.IndexOf('=', StringComparison.Ordinal);
            var key = separator < 0 ? "" : option[..separator].ToLowerInvariant();
            var value = separator < 0 ? "" : option[(separator + 1)..];
            if (key is not ("size" or "max" or "maxlev" or "pairs"))
            {
                error = $"'{NumberArgument.Shorten(option)}' is not understood (the options are size=, max=, maxlev= and pairs=)";
                return false;
            }

            if (!seen.Add(key))
            {
                error = $"{key}= is given twice";
                return false;
            }

            var ok = key switch
            {
                "size" => TryParseSize(value, out size, out error),
                "max" => TryParseMax(value, out maxUsd, out error),
                "maxlev" => TryParseLeverage(value, limits, out maxLeverage, out error),
                _ => TryParsePairs(value, limits, out pairs, out error),
            };
            if (!ok)
            {
                return false;
            }
        }

        parsed = new FollowArguments(leader, new FollowSettings(size ?? CopySize.Default, maxUsd, maxLeverage, pairs));
        error = "";
        return true;
    }

    private static bool TryParseSize(string text, [NotNullWhen(true)] out CopySize? size, out string error)
    {
        size = null;
        var percent = text.EndsWith('%');
        var number = percent ? text[..^1] : text;
        if (!NumberArgument.TryParse(number, percent ? PercentDecimals : Usdc.Decimals, out var value, out error))
        {
            error = $"size: {error} Write size=<usd> such as size=50, or size=<pct>% such as size=25%";
            return false;
        }

        if (value <= 0)
        {
            error = "size must be above 0 (size=50 copies 50 USD per trade, size=25% a quarter of the leader's)";
            return false;
        }

        if (percent && value > MaxPercent)
        {
            error = $"size={Format(value)}% is more than {Format(MaxPercent)}% of the leader's trade (write e.g. size=50%)";
            return false;
        }

        size = new CopySize(percent ? CopySizeKind.PercentOfLeader : CopySizeKind.FixedUsd, value);
        return true;
    }

    private static bool TryParseMax(string text, out decimal? maxUsd, out string error)
    {
        maxUsd = null;
        if (!NumberArgument.TryParse(text, Usdc.Decimals, out var value, out error))
        {
            error = $"max: {error} Write max=<usd>, e.g. max=500";
            return false;
        }

        if (value <= 0)
        {
            error = "max must be above 0 (max=500 caps each copied trade at 500 USD)";
            return false;
        }

        maxUsd = value;
        return true;
    }

    private static bool TryParseLeverage(string text, FollowLimits limits, out decimal? maxLeverage, out string error)
    {
        maxLeverage = null;
        if (!text.EndsWith('x') && !text.EndsWith('X'))
        {
            error = $"maxlev '{NumberArgument.Shorten(text)}' must end in x, e.g. maxlev=10x";
            return false;
        }

        if (!NumberArgument.TryParse(text[..^1], LeverageDecimals, out var value, out error))
        {
            error = $"maxlev: {error} Write maxlev=<n>x, e.g. maxlev=10x";
            return false;
        }

        if (value < 1)
        {
            error = "maxlev must be at least 1x";
            return false;
        }

        if (value > limits.MaxLeverage)
        {
            error = $"maxlev={Format(value)}x is above the highest leverage any listed market allows ({Format(limits.MaxLeverage)}x)";
            return false;
        }

        maxLeverage = value;
        return true;
    }

    private static bool TryParsePairs(string text, FollowLimits limits, out IReadOnlySet<string>? pairs, out string error)
    {
        pairs = null;
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            error = "pairs= is empty: name the assets to copy, e.g. pairs=ETH,BTC (leave pairs= out to copy every pair)";
            return false;
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!Symbol().IsMatch(name))
            {
                error = $"pairs: '{NumberArgument.Shorten(name)}' is not an asset symbol; name base assets, e.g. pairs=ETH,BTC";
                return false;
            }

            var asset = FollowSettings.Normalize(name);
            if (!limits.Assets.Contains(asset))
            {
                error = $"pairs: {name.ToUpperInvariant()} is neither a listed perp market nor a listed swap token (listed: {string.Join(", ", limits.Assets.Order(StringComparer.Ordinal))})";
                return false;
            }

            set.Add(asset);
        }

        pairs = set;
        error = "";
        return true;
    }

    private static string Format(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[A-Za-z0-9]{1,16}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Symbol();
}
