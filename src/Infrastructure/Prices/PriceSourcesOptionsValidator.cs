using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace VantaBot.Infrastructure.Prices;

/// <summary>Checks <c>Prices__Pyth__*</c>, <c>Prices__Coinbase__*</c>, <c>Prices__Binance__*</c> and the Pyth feed ids; each failure names its setting.</summary>
public sealed partial class PriceSourcesOptionsValidator : IValidateOptions<PriceSourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, PriceSourcesOptions options)
    {
        var failures = new List<string>();
        Check("Pyth", options.Pyth, failures);
        Check("Coinbase", options.Coinbase, failures);
        Check("Binance", options.Binance, failures);
        foreach (var (symbol, id) in options.PythFeedIds)
        {
            if (!FeedIdPattern().IsMatch(id ?? ""))
            {
                failures.Add($"Prices__PythFeedIds__{symbol}: '{id}' is not a Pyth feed id (64 hex digits, optionally 0x-prefixed).");
            }
        }

        foreach (var (symbol, address) in options.Chainlink.Feeds)
        {
            if (!Evm.Primitives.EvmAddress.TryParse(address, out _, out var problem))
            {
                failures.Add($"Prices__Chainlink__Feeds__{symbol}: '{address}' is not an aggregator address ({problem}).");
            }
        }

        if (options.Chainlink.MaxRoundAge <= TimeSpan.Zero || options.Chainlink.MaxRoundAge > TimeSpan.FromDays(2))
        {
            failures.Add("Prices__Chainlink__MaxRoundAge: must be between 00:00:00.001 and 2.00:00:00.");
        }

        if (string.IsNullOrWhiteSpace(options.BinanceQuoteAsset) || !options.BinanceQuoteAsset.All(char.IsAsciiLetterOrDigit))
        {
            failures.Add("Prices__BinanceQuoteAsset: must be an asset symbol such as USDT or USDC.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string source, HttpPriceSourceOptions options, List<string> failures)
    {
        var prefix = $"Prices__{source}__";
        if (options.BaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{prefix}BaseUrl: must be an absolute http(s) URL.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{prefix}Timeout: must be between 00:00:00.001 and 00:00:30.");
        }

        if (options.MaxRetries is < 0 or > 5)
        {
            failures.Add($"{prefix}MaxRetries: must be between 0 and 5.");
        }

        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{prefix}RetryDelay: must be between 00:00:00 and 00:00:10.");
        }

        if (options.BreakAfterFailures is < 2 or > 1000)
        {
            failures.Add($"{prefix}BreakAfterFailures: must be between 2 and 1000.");
        }

        if (options.BreakDuration < TimeSpan.FromMilliseconds(500) || options.BreakDuration > TimeSpan.FromHours(1))
        {
            failures.Add($"{prefix}BreakDuration: must be between 00:00:00.500 and 01:00:00.");
        }
    }

    [GeneratedRegex(@"^(0x)?[0-9a-fA-F]{64}\z")]
    private static partial Regex FeedIdPattern();
}
