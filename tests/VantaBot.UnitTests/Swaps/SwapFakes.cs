using System.Collections.Concurrent;
using System.Numerics;
using VantaBot.Risk;
using VantaBot.Trading.Execution;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Swaps;

public static class TestTokens
{
    public static readonly SwapToken Weth = new("WETH", "0x4200000000000000000000000000000000000006", 18, "ETH");
    public static readonly SwapToken Usdc = new("USDC", "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913", 6, "USD");
    public static readonly SwapToken Tka = new("TKA", "0x1000000000000000000000000000000000000001", 18);
    public static readonly SwapChain Base = new("base", [Weth, Usdc, Tka]);
}

public sealed class FixedCatalog(params SwapChain[] chains) : ISwapCatalog
{
    public IReadOnlyList<SwapChain> Chains => chains;

    public SwapChain? DefaultChain => chains.Length == 1 ? chains[0] : null;

    public SwapChain? FindChain(string name) => chains.FirstOrDefault(c => c.Name == name);
}

/// <summary>Quotes at a settable rate (token out per token in) and impact; counts calls.</summary>
public sealed class RateQuoter(TimeProvider time) : ISwapQuoter
{
    public decimal Rate { get; set; } = 3000m;

    public decimal Impact { get; set; } = 0.001m;

    public string? Problem { get; set; }

    public int Calls { get; private set; }

    public Task<SwapQuoteResult> QuoteAsync(string chain, SwapToken tokenIn, SwapToken tokenOut, TokenAmount amountIn, CancellationToken cancellationToken)
    {
        Calls++;
        if (Problem is not null)
        {
            return Task.FromResult(SwapQuoteResult.None(Problem));
        }

        var outDecimal = decimal.Round(amountIn.ToDecimal() * Rate, tokenOut.Decimals, MidpointRounding.ToZero);
        TokenAmount.TryFromDecimal(outDecimal, tokenOut.Decimals, out var amountOut, out _);
        var quote = new SwapQuote(chain, "uniswap-v2", tokenIn, tokenOut, amountIn, amountOut, Impact, 150_000, new TokenAmount(150_000L * 2_000_000_000L, 18), "ETH", time.GetUtcNow());
        return Task.FromResult(SwapQuoteResult.Of(quote));
    }
}

public sealed class SettableBalances : IWalletTokenBalances
{
    private readonly ConcurrentDictionary<string, BigInteger> _balances = new(StringComparer.OrdinalIgnoreCase);

    public BigInteger Native { get; set; } = BigInteger.Pow(10, 18);

    public void Set(SwapToken token, decimal amount)
    {
        TokenAmount.TryFromDecimal(amount, token.Decimals, out var raw, out _);
        _balances[token.Address] = raw.Raw;
    }

    public Task<TokenAmount> BalanceOfAsync(string chain, string walletAddress, SwapToken token, CancellationToken cancellationToken) =>
        Task.FromResult(new TokenAmount(_balances.GetValueOrDefault(token.Address), token.Decimals));

    public Task<TokenAmount> NativeBalanceAsync(string chain, string walletAddress, CancellationToken cancellationToken) =>
        Task.FromResult(new TokenAmount(Native, 18));
}

/// <summary>An in-memory swap intent store with the same hold rule as the database one (a fake of our own port).</summary>
public sealed class InMemorySwapIntents : ISwapIntentStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IntentId, SwapIntent> _intents = [];

    public IReadOnlyList<SwapIntent> All
    {
        get
        {
            lock (_gate)
            {
                return _intents.Values.ToList();
            }
        }
    }

    public Task<PlaceSwapResult> PlaceAsync(SwapIntent intent, TokenAmount walletBalance, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_intents.Values.FirstOrDefault(i => i.User == intent.User && i.IdempotencyKey == intent.IdempotencyKey) is { } existing)
            {
                return Task.FromResult(new PlaceSwapResult(PlaceSwapOutcome.Duplicate, existing, walletBalance));
            }

            var available = walletBalance with { Raw = walletBalance.Raw - Held(intent.WalletAddress, intent.TokenIn) };
            if (available.Raw < intent.AmountIn.Raw)
            {
                return Task.FromResult(new PlaceSwapResult(PlaceSwapOutcome.InsufficientFunds, intent, available));
            }

            _intents[intent.Id] = intent;
            return Task.FromResult(new PlaceSwapResult(PlaceSwapOutcome.Placed, intent, available));
        }
    }

    public async Task<bool> MarkSubmittedAsync(IntentId intent, CancellationToken cancellationToken)
    {
        var before = All.Single(i => i.Id == intent).State;
        await Update(intent, i => i.State == IntentState.Pending ? i with { State = IntentState.Submitted } : i);
        return before == IntentState.Pending;
    }

    public async Task<SwapIntent> CompleteAsync(IntentId intent, SwapFill fill, CancellationToken cancellationToken)
    {
        await Update(intent, i => IsOpen(i) ? i with { State = IntentState.Filled, AmountOut = fill.AmountOut, TransactionHash = fill.TransactionHash } : i);
        return All.Single(i => i.Id == intent);
    }

    public async Task<SwapIntent> FailAsync(IntentId intent, IntentState finalState, string reason, CancellationToken cancellationToken)
    {
        await Update(intent, i => IsOpen(i) ? i with { State = finalState, FailureReason = reason } : i);
        return All.Single(i => i.Id == intent);
    }

    public Task<SwapIntent?> FindAsync(IntentId intent, CancellationToken cancellationToken) => Task.FromResult(All.FirstOrDefault(i => i.Id == intent));

    public Task<SwapIntent?> FindByIdempotencyKeyAsync(UserId user, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(All.FirstOrDefault(i => i.User == user && i.IdempotencyKey == idempotencyKey));

    public Task<TokenAmount> GetHeldAsync(string chain, string walletAddress, SwapToken token, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new TokenAmount(Held(walletAddress, token), token.Decimals));
        }
    }

    public Task<IReadOnlyList<SwapIntent>> GetUnresolvedAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SwapIntent>>(All.Where(IsOpen).OrderBy(i => i.CreatedAt).ToList());

    public Task<IReadOnlyList<SwapIntent>> GetRecentAsync(UserId user, int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SwapIntent>>(All.Where(i => i.User == user).Take(count).ToList());

    private static bool IsOpen(SwapIntent i) => i.State is IntentState.Pending or IntentState.Submitted;

    private BigInteger Held(string wallet, SwapToken token) =>
        _intents.Values.Where(i => IsOpen(i) && i.WalletAddress == wallet && i.TokenIn.Address == token.Address).Aggregate(BigInteger.Zero, (s, i) => s + i.AmountIn.Raw);

    private Task Update(IntentId id, Func<SwapIntent, SwapIntent> change)
    {
        lock (_gate)
        {
            _intents[id] = change(_intents[id]);
        }

        return Task.CompletedTask;
    }
}

public sealed class FixedMode(ExecutionMode mode) : IExecutionModeResolver
{
    public Task<EffectiveExecutionMode> ResolveAsync(UserId user, CancellationToken cancellationToken) =>
        Task.FromResult(new EffectiveExecutionMode(mode, "test"));
}

/// <summary>A venue that throws (the chain did not answer) or rejects, for the failure paths.</summary>
public sealed class FailingSwapVenue(ExecutionMode mode, bool throws) : ISwapVenue
{
    public ExecutionMode Mode => mode;

    public Task<VenueResult<SwapFill>> ExecuteAsync(SwapExecution execution, CancellationToken cancellationToken) =>
        throws
            ? throw new TimeoutException("no receipt")
            : Task.FromResult(VenueResult.Reject<SwapFill>("Reverted", "execution reverted: UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT"));

    public Task<SwapResolution> ResolveAsync(SwapIntent intent, CancellationToken cancellationToken) =>
        Task.FromResult<SwapResolution>(new SwapResolution.InFlight("test"));
}
