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
    public string? UniswapV2Router { get; set; }

    public string? UniswapV3Router { get; set; }

    public string? UniswapV3Quoter { get; set; }
}

public sealed class ChainToken
{
    public string Address { get; set; } = "";

    public int Decimals { get; set; } = 18;
}
