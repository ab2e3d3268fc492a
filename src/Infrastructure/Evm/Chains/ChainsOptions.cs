namespace VantaBot.Infrastructure.Evm.Chains;

/// <summary>
/// Every configured EVM chain, keyed by its name (<c>Chains__&lt;name&gt;__*</c>, e.g. <c>Chains__base__ChainId=8453</c>).
/// Empty (the embedded default) means EVM is disabled: nothing EVM-related is registered or started.
/// </summary>
public sealed class ChainsOptions
{
    public const string Section = "Chains";

    public Dictionary<string, ChainOptions> Chains { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Enabled => Chains.Count > 0;
}

/// <summary>One chain's settings. Unset values fall back to per-chain defaults (see the Effective* members).</summary>
public sealed class ChainOptions
{
    /// <summary>Chain ids of local development chains (anvil, hardhat/ganache): instant, no reorgs worth waiting for.</summary>
    public static readonly IReadOnlySet<long> DevChainIds = new HashSet<long> { 31337, 1337 };

    public long ChainId { get; set; }

    /// <summary>Tried in order; the next one serves when one fails (transport error, timeout, HTTP 5xx/429).</summary>
    public List<string> RpcUrls { get; set; } = [];

    /// <summary>Blocks (the receipt's included) before a transaction counts as final. Default: 1 on dev chains, 2 elsewhere.</summary>
    public int? Confirmations { get; set; }

    /// <summary>Upper bound of maxFeePerGas in gwei. Default: 50 on Ethereum (1), 100 on dev chains, 10 elsewhere (L2s).</summary>
    public decimal? MaxFeeCapGwei { get; set; }

    /// <summary>The tip used when the node cannot suggest one. Default: 1 gwei on Ethereum and dev chains, 0.01 elsewhere.</summary>
    public decimal? PriorityFeeGwei { get; set; }

    /// <summary>One JSON-RPC attempt against one endpoint; the next endpoint is tried after it.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The breaker of an endpoint opens after this many failures (half of at least this many within 30 s).</summary>
    public int BreakAfterFailures { get; set; } = 3;

    /// <summary>How long an open breaker skips its endpoint.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the transaction monitor looks at the chain's pending transactions. Default: 2 s.</summary>
    public TimeSpan? MonitorInterval { get; set; }

    /// <summary>A transaction pending this long since its latest attempt is replaced with bumped fees. Default: 30 s, 5 s on dev chains.</summary>
    public TimeSpan? ReplaceAfter { get; set; }

    public string NativeSymbol { get; set; } = "ETH";

    public ChainRouters Routers { get; set; } = new();

    /// <summary>Tradable ERC-20 tokens by symbol (<c>Chains__base__Tokens__USDC__Address</c>, <c>…__Decimals</c>).</summary>
    public Dictionary<string, ChainToken> Tokens { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsDevChain => DevChainIds.Contains(ChainId);

    public int EffectiveConfirmations => Confirmations ?? (IsDevChain ? 1 : 2);

    public decimal EffectiveMaxFeeCapGwei => MaxFeeCapGwei ?? ChainId switch
    {
        1 => 50m,
        _ when IsDevChain => 100m,
        _ => 10m,
    };

    public TimeSpan EffectiveMonitorInterval => MonitorInterval ?? TimeSpan.FromSeconds(2);

    public TimeSpan EffectiveReplaceAfter => ReplaceAfter ?? (IsDevChain ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(30));

    public decimal EffectivePriorityFeeGwei => PriorityFeeGwei ?? (ChainId == 1 || IsDevChain ? 1m : 0.01m);
}

/// <summary>Router and quoter contracts; a missing one means that venue is not offered on the chain.</summary>
public sealed class ChainRouters
{
    /// <summary>The V3 pool fee tiers quoted when <see cref="UniswapV3Fees"/> is not set (0.05%, 0.3%, 1%).</summary>
    public static readonly IReadOnlyList<int> DefaultUniswapV3Fees = [500, 3000, 10000];

    /// <summary>Uniswap V2 Router02 (<c>swapExactTokensForTokens</c>, <c>getAmountsOut</c>).</summary>
    public string? UniswapV2Router { get; set; }

    /// <summary>
    /// The Uniswap V3 periphery 1.x <c>SwapRouter</c>, whose <c>exactInputSingle</c> struct carries the deadline
    /// (SwapRouter02's has none and is not supported). Offered only together with <see cref="UniswapV3Quoter"/>.
    /// </summary>
    public string? UniswapV3Router { get; set; }

    /// <summary>The Uniswap V3 <c>QuoterV2</c> (<c>quoteExactInputSingle</c> with a struct argument).</summary>
    public string? UniswapV3Quoter { get; set; }

    /// <summary>
    /// Fee tiers (hundredths of a basis point) the V3 quoter tries, comma-separated: "500,3000,10000" (the default).
    /// A string rather than a list: the configuration binder appends bound list items to a list's defaults.
    /// </summary>
    public string? UniswapV3Fees { get; set; }

    /// <summary>A swap must be mined within this long of the latest block's time (chain time, not the wall clock).</summary>
    public TimeSpan SwapDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a swap (and its approval) is waited for; after that the swap is left to recovery.</summary>
    public TimeSpan SwapWaitTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool OffersUniswapV2 => !string.IsNullOrWhiteSpace(UniswapV2Router);

    public bool OffersUniswapV3 => !string.IsNullOrWhiteSpace(UniswapV3Router) && !string.IsNullOrWhiteSpace(UniswapV3Quoter);

    /// <summary>A chain can swap when it offers at least one router.</summary>
    public bool OffersSwaps => OffersUniswapV2 || OffersUniswapV3;

    /// <summary>The fee tiers to quote; call only after validation (a malformed list throws).</summary>
    public IReadOnlyList<int> EffectiveUniswapV3Fees =>
        string.IsNullOrWhiteSpace(UniswapV3Fees)
            ? DefaultUniswapV3Fees
            : UniswapV3Fees.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(f => int.Parse(f, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture))
                .Distinct()
                .ToArray();
}

public sealed class ChainToken
{
    public string Address { get; set; } = "";

    public int Decimals { get; set; } = 18;

    /// <summary>
    /// The price feed symbol that values the token in USD for swap limits: "ETH" for WETH, "USD" for a stablecoin.
    /// Unset: no USD valuation (USD-based swap limits do not apply to it).
    /// </summary>
    public string? PriceSymbol { get; set; }
}
