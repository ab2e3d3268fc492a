using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace VantaBot.Trading.Markets;

/// <summary>A market pair such as ETH/USD. Only USD-quoted pairs exist for now.</summary>
public sealed partial record Pair
{
    public const string UsdQuote = "USD";

    private Pair(string @base, string quote)
    {
        Base = @base;
        Quote = quote;
    }

    public string Base { get; }

    public string Quote { get; }

    public static Pair Usd(string @base) =>
        TryParse(@base, out var pair) ? pair : throw new ArgumentException($"'{@base}' is not a pair symbol.", nameof(@base));

    /// <summary>Accepts <c>ETH</c>, <c>eth</c>, <c>ETH/USD</c>, <c>ETH-USD</c> and <c>ETHUSD</c>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Pair? pair)
    {
        pair = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 24)
        {
            return false;
        }

        var match = PairPattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var @base = match.Groups["base"].Value.ToUpperInvariant();
        var quote = match.Groups["quote"].Success ? match.Groups["quote"].Value.ToUpperInvariant() : UsdQuote;
        if (quote != UsdQuote)
        {
            return false;
        }

        // "ETHUSD" without a separator: strip the quote suffix, but never below the two-letter minimum ("BUSD" stays).
        if (!match.Groups["quote"].Success && @base.Length >= UsdQuote.Length + 2 && @base.EndsWith(UsdQuote, StringComparison.Ordinal))
        {
            @base = @base[..^UsdQuote.Length];
        }

        // USD priced in USD is no market.
        if (@base == quote)
        {
            return false;
        }

        pair = new Pair(@base, quote);
        return true;
    }

    public override string ToString() => $"{Base}/{Quote}";

    [GeneratedRegex(@"^(?<base>[A-Za-z][A-Za-z0-9]{1,9})(?:[/\-](?<quote>[A-Za-z]{2,5}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PairPattern();
}
