using Microsoft.Extensions.Options;

namespace VantaBot.Trading.Swaps;

/// <summary>Swap safety settings (<c>Swaps__…</c>).</summary>
public sealed class SwapOptions
{
    public const string Section = "Swaps";

    /// <summary>The chain of an order that names none; unset, the only swap chain is the default (several need "on &lt;chain&gt;").</summary>
    public string? DefaultChain { get; set; }

    /// <summary>Slippage when the order names none: the minimum out is the quote less this share.</summary>
    public decimal DefaultSlippagePercent { get; set; } = 0.5m;

    /// <summary>The most a trader may accept; a larger <c>slippage=</c> is refused, not clipped.</summary>
    public decimal MaxSlippagePercent { get; set; } = 3m;

    /// <summary>A quote that moves the pool's price more than this is refused (thin liquidity costs the trader).</summary>
    public decimal MaxPriceImpactPercent { get; set; } = 5m;

    /// <summary>A quote older than this is re-quoted before anything is sent.</summary>
    public TimeSpan QuoteMaxAge { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the confirmation card can be tapped.</summary>
    public TimeSpan ConfirmationTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest swap in USD, for tokens a price feed values; 0 turns the limit off.</summary>
    public decimal MaxSwapUsd { get; set; } = 25_000m;

    public int DefaultSlippageBasisPoints => (int)(DefaultSlippagePercent * 100m);

    public int MaxSlippageBasisPoints => (int)(MaxSlippagePercent * 100m);
}

public sealed class SwapOptionsValidator : IValidateOptions<SwapOptions>
{
    public ValidateOptionsResult Validate(string? name, SwapOptions options)
    {
        var problems = new List<string>();
        if (options.MaxSlippagePercent is <= 0 or > 50)
        {
            problems.Add($"Swaps__MaxSlippagePercent must be above 0 and at most 50 (was {options.MaxSlippagePercent}).");
        }

        if (options.DefaultSlippagePercent <= 0 || options.DefaultSlippagePercent > options.MaxSlippagePercent)
        {
            problems.Add($"Swaps__DefaultSlippagePercent must be above 0 and at most Swaps__MaxSlippagePercent (was {options.DefaultSlippagePercent}).");
        }

        if (options.DefaultSlippagePercent * 100m != decimal.Truncate(options.DefaultSlippagePercent * 100m))
        {
            problems.Add("Swaps__DefaultSlippagePercent has at most two decimals (a basis point).");
        }

        if (options.MaxPriceImpactPercent is <= 0 or > 100)
        {
            problems.Add($"Swaps__MaxPriceImpactPercent must be above 0 and at most 100 (was {options.MaxPriceImpactPercent}).");
        }

        if (options.QuoteMaxAge <= TimeSpan.Zero || options.QuoteMaxAge > TimeSpan.FromMinutes(5))
        {
            problems.Add($"Swaps__QuoteMaxAge must be positive and at most 00:05:00 (was {options.QuoteMaxAge}).");
        }

        if (options.ConfirmationTtl <= TimeSpan.Zero || options.ConfirmationTtl > TimeSpan.FromMinutes(10))
        {
            problems.Add($"Swaps__ConfirmationTtl must be positive and at most 00:10:00 (was {options.ConfirmationTtl}).");
        }

        if (options.MaxSwapUsd < 0)
        {
            problems.Add($"Swaps__MaxSwapUsd cannot be negative (was {options.MaxSwapUsd}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
