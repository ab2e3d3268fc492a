namespace VantaBot.Infrastructure.Prices;

/// <summary>Connection and resilience settings of one HTTP price source (<c>Prices__&lt;Source&gt;__*</c>).</summary>
public sealed class HttpPriceSourceOptions
{
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1/");

    /// <summary>Sent as <c>Authorization: Bearer</c> where the source takes one (Pyth Hermes); never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Per attempt. A price older than a few seconds is useless, so this is short.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries after a network error, a timeout or a 5xx (never after a 429 or a bad payload).</summary>
    public int MaxRetries { get; set; } = 1;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The breaker opens after this many failed calls in a row-ish (half of at least this many within 30 s).</summary>
    public int BreakAfterFailures { get; set; } = 4;

    /// <summary>How long an open breaker answers "unavailable" without calling the source.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Settings of the HTTP sources, under <c>Prices__Pyth__*</c>, <c>Prices__Coinbase__*</c>, <c>Prices__Binance__*</c>.</summary>
public sealed class PriceSourcesOptions
{
    public HttpPriceSourceOptions Pyth { get; set; } = new() { BaseUrl = new Uri("https://hermes.pyth.network/") };

    public HttpPriceSourceOptions Coinbase { get; set; } = new() { BaseUrl = new Uri("https://api.exchange.coinbase.com/") };

    public HttpPriceSourceOptions Binance { get; set; } = new() { BaseUrl = new Uri("https://api.binance.com/") };

    /// <summary>
    /// Pyth price feed id (hex) per base symbol, e.g. <c>Prices__PythFeedIds__ARB=…</c>; a symbol without an id is
    /// not asked of Pyth. BTC, ETH, SOL and DOGE come from Pyth's published feed list.
    /// </summary>
    public Dictionary<string, string> PythFeedIds { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BTC"] = "e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43",
        ["ETH"] = "ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace",
        ["SOL"] = "ef0d8b6fda2ceba41da15d4095d1da392a0d2f8ed0c6c7bc0f4cfac8c280b56d",
        ["DOGE"] = "dcef50dd0a4cd2dcc17e45df1676dcb336a11a61c69df7a0299b0150c672d25c",
    };

    /// <summary>Binance lists spot markets against stablecoins; USD pairs are read from BASE+this (USDT ≈ USD).</summary>
    public string BinanceQuoteAsset { get; set; } = "USDT";

    public ChainlinkOptions Chainlink { get; set; } = new();
}
