using VantaBot.Risk;
using VantaBot.Trading.Perps;

namespace VantaBot.Trading.Swaps;

/// <summary>Quotes an exact-input swap on the chain's configured routers and returns the best; a typed rejection when none can.</summary>
public interface ISwapQuoter
{
    Task<SwapQuoteResult> QuoteAsync(string chain, SwapToken tokenIn, SwapToken tokenOut, TokenAmount amountIn, CancellationToken cancellationToken);
}

public sealed record SwapQuoteResult(SwapQuote? Quote, string? Problem)
{
    public static SwapQuoteResult Of(SwapQuote quote) => new(quote, null);

    public static SwapQuoteResult None(string problem) => new(null, problem);
}

/// <summary>A wallet's on-chain balances, read fresh (never cached: they decide whether a swap may be placed).</summary>
public interface IWalletTokenBalances
{
    Task<TokenAmount> BalanceOfAsync(string chain, string walletAddress, SwapToken token, CancellationToken cancellationToken);

    /// <summary>The chain's native balance (gas money).</summary>
    Task<TokenAmount> NativeBalanceAsync(string chain, string walletAddress, CancellationToken cancellationToken);
}

/// <summary>
/// Executes a placed swap: the paper venue in DRY mode, the router venue on chain in LIVE mode. Idempotent on the
/// client order id: asking again returns the first outcome, never a second swap.
/// </summary>
public interface ISwapVenue
{
    ExecutionMode Mode { get; }

    Task<VenueResult<SwapFill>> ExecuteAsync(SwapExecution execution, CancellationToken cancellationToken);

    /// <summary>Recovery after a crash: what became of the intent's swap (filled, failed, or still in flight).</summary>
    Task<SwapResolution> ResolveAsync(SwapIntent intent, CancellationToken cancellationToken);
}

/// <summary>
/// One swap to execute. <see cref="Quote"/> is the fresh quote the order was checked on; <see cref="Intent"/>'s
/// minimum out bounds the fill.
/// </summary>
public sealed record SwapExecution(SwapIntent Intent, SwapQuote Quote);

public abstract record SwapResolution
{
    public sealed record Filled(SwapFill Fill) : SwapResolution;

    public sealed record Failed(string Reason) : SwapResolution;

    /// <summary>Still in flight (a transaction waiting to be mined); ask again later.</summary>
    public sealed record InFlight(string Detail) : SwapResolution;
}

/// <summary>The swap venue for each execution mode.</summary>
public sealed class SwapVenues(IEnumerable<ISwapVenue> venues)
{
    private readonly IReadOnlyDictionary<ExecutionMode, ISwapVenue> _byMode = venues.ToDictionary(v => v.Mode);

    public bool HasLive => _byMode.ContainsKey(ExecutionMode.Live);

    public ISwapVenue? For(ExecutionMode mode) => _byMode.GetValueOrDefault(mode);
}
