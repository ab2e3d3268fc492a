using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Chains;

/// <summary>Checks every <c>Chains__&lt;name&gt;__*</c> setting; each failure names the setting and the fix.</summary>
public sealed class ChainsOptionsValidator : IValidateOptions<ChainsOptions>
{
    /// <summary>Swap amounts go through <c>decimal</c> on the way to and from chat; 36 covers every real token with room to spare.</summary>
    public const int MaxTokenDecimals = 36;

    public ValidateOptionsResult Validate(string? name, ChainsOptions options)
    {
        var failures = new List<string>();
        foreach (var (chain, settings) in options.Chains)
        {
            Check(chain, settings, failures);
        }

        foreach (var group in options.Chains.GroupBy(c => c.Value.ChainId).Where(g => g.Count() > 1))
        {
            failures.Add($"Chains: chain id {group.Key} is configured twice ({string.Join(", ", group.Select(c => c.Key))}); give each chain one entry.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string chain, ChainOptions options, List<string> failures)
    {
        var prefix = $"Chains__{chain}__";
        if (chain.Length == 0 || !chain.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            failures.Add($"Chains__{chain}: a chain name is letters, digits, '-' or '_' (e.g. base, anvil).");
        }

        if (options.ChainId <= 0)
        {
            failures.Add($"{prefix}ChainId: must be the chain's positive id (e.g. 1 Ethereum, 8453 Base, 31337 anvil).");
        }

        if (options.RpcUrls.Count == 0)
        {
            failures.Add($"{prefix}RpcUrls: at least one JSON-RPC URL is needed ({prefix}RpcUrls__0=https://…).");
        }

        for (var i = 0; i < options.RpcUrls.Count; i++)
        {
            if (!Uri.TryCreate(options.RpcUrls[i], UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                // The value itself may carry an API key: name the setting, not its content.
                failures.Add($"{prefix}RpcUrls__{i}: must be an absolute http(s) URL.");
            }
        }

        if (options.Confirmations is < 1 or > 1000)
        {
            failures.Add($"{prefix}Confirmations: must be between 1 and 1000.");
        }

        if (options.MaxFeeCapGwei is <= 0 or > 100_000)
        {
            failures.Add($"{prefix}MaxFeeCapGwei: must be above 0 and at most 100000.");
        }

        if (options.PriorityFeeGwei is < 0)
        {
            failures.Add($"{prefix}PriorityFeeGwei: cannot be negative.");
        }

        if (options.MaxFeeCapGwei is not <= 0 && options.EffectivePriorityFeeGwei > options.EffectiveMaxFeeCapGwei)
        {
            failures.Add($"{prefix}PriorityFeeGwei: {options.EffectivePriorityFeeGwei} gwei is above the fee cap of {options.EffectiveMaxFeeCapGwei} gwei ({prefix}MaxFeeCapGwei).");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(2))
        {
            failures.Add($"{prefix}RequestTimeout: must be between 00:00:00.001 and 00:02:00.");
        }

        if (options.MonitorInterval is { } interval && (interval < TimeSpan.FromMilliseconds(50) || interval > TimeSpan.FromMinutes(10)))
        {
            failures.Add($"{prefix}MonitorInterval: must be between 00:00:00.05 and 00:10:00.");
        }

        if (options.ReplaceAfter is { } replace && (replace < TimeSpan.FromMilliseconds(100) || replace > TimeSpan.FromHours(1)))
        {
            failures.Add($"{prefix}ReplaceAfter: must be between 00:00:00.1 and 01:00:00.");
        }

        if (options.BreakAfterFailures is < 2 or > 1000)
        {
            failures.Add($"{prefix}BreakAfterFailures: must be between 2 and 1000.");
        }

        if (options.BreakDuration < TimeSpan.FromMilliseconds(500) || options.BreakDuration > TimeSpan.FromHours(1))
        {
            failures.Add($"{prefix}BreakDuration: must be between 00:00:00.500 and 01:00:00.");
        }

        if (string.IsNullOrWhiteSpace(options.NativeSymbol) || !options.NativeSymbol.All(char.IsAsciiLetterOrDigit))
        {
            failures.Add($"{prefix}NativeSymbol: must be a symbol such as ETH.");
        }

        CheckAddress($"{prefix}Routers__UniswapV2Router", options.Routers.UniswapV2Router, optional: true, failures);
        CheckAddress($"{prefix}Routers__UniswapV3Router", options.Routers.UniswapV3Router, optional: true, failures);
        CheckAddress($"{prefix}Routers__UniswapV3Quoter", options.Routers.UniswapV3Quoter, optional: true, failures);
        CheckSwapSettings(prefix, options.Routers, failures);

        foreach (var (symbol, token) in options.Tokens)
        {
            var tokenPrefix = $"{prefix}Tokens__{symbol}__";
            if (symbol.Length == 0 || !symbol.All(char.IsAsciiLetterOrDigit))
            {
                failures.Add($"{prefix}Tokens__{symbol}: a token symbol is letters and digits only.");
            }

            if (string.Equals(symbol, options.NativeSymbol, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{prefix}Tokens__{symbol}: {symbol} is the native coin ({prefix}NativeSymbol); list only ERC-20 tokens here.");
            }

            CheckAddress($"{tokenPrefix}Address", token.Address, optional: false, failures);
            if (token.Decimals is < 0 or > MaxTokenDecimals)
            {
                failures.Add($"{tokenPrefix}Decimals: must be between 0 and {MaxTokenDecimals} (real tokens use 0 to 24).");
            }

            if (token.PriceSymbol is { } priceSymbol && (priceSymbol.Length is 0 or > 16 || !priceSymbol.All(char.IsAsciiLetterOrDigit)))
            {
                failures.Add($"{tokenPrefix}PriceSymbol: must be a price feed symbol such as ETH, or USD for a stablecoin.");
            }
        }

        foreach (var group in options.Tokens.Where(t => EvmAddress.TryParse(t.Value.Address, out _))
                     .GroupBy(t => EvmAddress.Parse(t.Value.Address)).Where(g => g.Count() > 1))
        {
            failures.Add($"{prefix}Tokens: {group.Key} is listed under several symbols ({string.Join(", ", group.Select(t => t.Key))}).");
        }
    }

    private static void CheckSwapSettings(string prefix, ChainRouters routers, List<string> failures)
    {
        var v3Router = !string.IsNullOrWhiteSpace(routers.UniswapV3Router);
        var v3Quoter = !string.IsNullOrWhiteSpace(routers.UniswapV3Quoter);
        if (v3Router != v3Quoter)
        {
            // Quoting without the router (or the reverse) would offer a route that cannot be priced or executed.
            var missing = v3Router ? "UniswapV3Quoter" : "UniswapV3Router";
            failures.Add($"{prefix}Routers__{missing}: Uniswap V3 needs both the SwapRouter and the QuoterV2 address; set {prefix}Routers__{missing} or remove the other.");
        }

        if (routers.UniswapV3Fees is { } fees)
        {
            var tiers = fees.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (tiers.Length == 0 || !tiers.All(IsFeeTier))
            {
                failures.Add($"{prefix}Routers__UniswapV3Fees: a comma-separated list of fee tiers in hundredths of a basis point, each 1 to 999999 (e.g. 500,3000,10000).");
            }
        }

        if (routers.SwapDeadline < TimeSpan.FromSeconds(30) || routers.SwapDeadline > TimeSpan.FromHours(1))
        {
            failures.Add($"{prefix}Routers__SwapDeadline: must be between 00:00:30 and 01:00:00 (was {routers.SwapDeadline}).");
        }

        if (routers.SwapWaitTimeout < TimeSpan.FromSeconds(5) || routers.SwapWaitTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{prefix}Routers__SwapWaitTimeout: must be between 00:00:05 and 00:10:00 (was {routers.SwapWaitTimeout}).");
        }
    }

    // A V3 fee is a uint24 below 100% (1,000,000 hundredths of a basis point).
    private static bool IsFeeTier(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fee) && fee is > 0 and < 1_000_000;

    private static void CheckAddress(string setting, string? value, bool optional, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (!optional)
            {
                failures.Add($"{setting}: an address is required (0x + 40 hex digits).");
            }

            return;
        }

        if (!EvmAddress.TryParse(value, out _, out var problem))
        {
            failures.Add($"{setting}: '{value}' is not an EVM address: {problem}.");
        }
    }
}
