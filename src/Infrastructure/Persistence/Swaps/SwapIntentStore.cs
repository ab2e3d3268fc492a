using System.Globalization;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Swaps;

/// <summary>
/// Swap intents and their holds. Placing upserts the (chain, wallet, token) lock row as the transaction's first
/// statement — PostgreSQL row-locks it, SQLite takes its write lock — so the sum of unresolved inputs and the new
/// intent are checked and written as one step per wallet token. Settling is guarded by the intent's state, so a
/// swap settles once however many recoverers race for it.
/// </summary>
public sealed class SwapIntentStore(VantaBotDbContext db, TimeProvider time) : ISwapIntentStore
{
    private DbSet<SwapIntentEntity> Swaps => db.Set<SwapIntentEntity>();

    public async Task<PlaceSwapResult> PlaceAsync(SwapIntent intent, TokenAmount walletBalance, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var wallet = intent.WalletAddress.ToLowerInvariant();
        var token = intent.TokenIn.Address.ToLowerInvariant();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO swap_hold_locks (chain, wallet_address, token_address, touched_at) VALUES ({intent.Chain}, {wallet}, {token}, {now.UtcDateTime}) ON CONFLICT (chain, wallet_address, token_address) DO UPDATE SET touched_at = excluded.touched_at",
            cancellationToken);
        if (await FindByKeyAsync(intent.User, intent.IdempotencyKey, cancellationToken) is { } existing)
        {
            await tx.RollbackAsync(cancellationToken);
            return new PlaceSwapResult(PlaceSwapOutcome.Duplicate, existing, walletBalance);
        }

        var held = await HeldRawAsync(intent.Chain, wallet, token, cancellationToken);
        var available = walletBalance with { Raw = walletBalance.Raw - held };
        if (available.Raw < intent.AmountIn.Raw)
        {
            await tx.RollbackAsync(cancellationToken);
            return new PlaceSwapResult(PlaceSwapOutcome.InsufficientFunds, intent, available);
        }

        var placed = intent with { State = IntentState.Pending, CreatedAt = now, WalletAddress = wallet };
        Swaps.Add(ToEntity(placed, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same order from a concurrent delivery won the unique key.
            await tx.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var winner = await FindByKeyAsync(intent.User, intent.IdempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException("Swap intent insert failed for another reason.");
            return new PlaceSwapResult(PlaceSwapOutcome.Duplicate, winner, available);
        }

        db.ChangeTracker.Clear();
        return new PlaceSwapResult(PlaceSwapOutcome.Placed, placed, available with { Raw = available.Raw - intent.AmountIn.Raw });
    }

    public async Task<bool> MarkSubmittedAsync(IntentId intent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return 1 == await Swaps.Where(s => s.Id == intent && s.State == IntentState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, IntentState.Submitted).SetProperty(x => x.UpdatedAt, now), cancellationToken);
    }

    public async Task<SwapIntent> CompleteAsync(IntentId intent, SwapFill fill, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var amountOut = fill.AmountOut.Raw.ToString(CultureInfo.InvariantCulture);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await Swaps
            .Where(s => s.Id == intent && (s.State == IntentState.Pending || s.State == IntentState.Submitted))
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.State, IntentState.Filled)
                    .SetProperty(x => x.AmountOutRaw, amountOut)
                    .SetProperty(x => x.TransactionHash, fill.TransactionHash)
                    .SetProperty(x => x.UpdatedAt, now),
                cancellationToken);
        var entity = await Swaps.AsNoTracking().SingleAsync(s => s.Id == intent, cancellationToken);
        if (claimed == 1)
        {
            OutboxWriter.Add(db, SwapOutcomeNotices.Filled(entity, fill), now);
            await db.SaveChangesAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return claimed == 1 || entity.State == IntentState.Filled
            ? ToDomain(entity)
            : throw new InvalidOperationException($"Swap intent {intent} is {entity.State}, not fillable.");
    }

    public async Task<SwapIntent> FailAsync(IntentId intent, IntentState finalState, string reason, CancellationToken cancellationToken)
    {
        if (finalState is not (IntentState.Failed or IntentState.Cancelled))
        {
            throw new ArgumentOutOfRangeException(nameof(finalState), finalState, "Only Failed or Cancelled end a swap without a fill.");
        }

        var now = time.GetUtcNow();
        var clipped = reason.Length <= 512 ? reason : reason[..512];
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await Swaps
            .Where(s => s.Id == intent && (s.State == IntentState.Pending || s.State == IntentState.Submitted))
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.State, finalState).SetProperty(x => x.FailureReason, clipped).SetProperty(x => x.UpdatedAt, now),
                cancellationToken);
        var entity = await Swaps.AsNoTracking().SingleAsync(s => s.Id == intent, cancellationToken);
        if (claimed == 1)
        {
            // The hold ends with the state change (holds are the unresolved intents themselves); the trader is told.
            OutboxWriter.Add(db, SwapOutcomeNotices.Failed(entity, finalState, clipped), now);
            await db.SaveChangesAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return ToDomain(entity);
    }

    public async Task<SwapIntent?> FindAsync(IntentId intent, CancellationToken cancellationToken)
    {
        var entity = await Swaps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == intent, cancellationToken);
        return entity is null ? null : ToDomain(entity);
    }

    public Task<SwapIntent?> FindByIdempotencyKeyAsync(UserId user, string idempotencyKey, CancellationToken cancellationToken) =>
        FindByKeyAsync(user, idempotencyKey, cancellationToken);

    public async Task<TokenAmount> GetHeldAsync(string chain, string walletAddress, SwapToken token, CancellationToken cancellationToken) =>
        new(await HeldRawAsync(chain, walletAddress.ToLowerInvariant(), token.Address.ToLowerInvariant(), cancellationToken), token.Decimals);

    public async Task<IReadOnlyList<SwapIntent>> GetUnresolvedAsync(CancellationToken cancellationToken)
    {
        var rows = await Swaps.AsNoTracking()
            .Where(s => s.State == IntentState.Pending || s.State == IntentState.Submitted)
            .OrderBy(s => s.CreatedAt)
            .ToListAsync(cancellationToken);
        return rows.Select(ToDomain).ToList();
    }

    public async Task<IReadOnlyList<SwapIntent>> GetRecentAsync(UserId user, int count, CancellationToken cancellationToken)
    {
        var rows = await Swaps.AsNoTracking().Where(s => s.UserId == user).OrderByDescending(s => s.CreatedAt).Take(count).ToListAsync(cancellationToken);
        return rows.Select(ToDomain).ToList();
    }

    private async Task<BigInteger> HeldRawAsync(string chain, string wallet, string token, CancellationToken cancellationToken)
    {
        var amounts = await Swaps.AsNoTracking()
            .Where(s => s.Chain == chain && s.WalletAddress == wallet && s.TokenInAddress == token
                && (s.State == IntentState.Pending || s.State == IntentState.Submitted))
            .Select(s => s.AmountInRaw)
            .ToListAsync(cancellationToken);
        return amounts.Aggregate(BigInteger.Zero, (sum, raw) => sum + BigInteger.Parse(raw, CultureInfo.InvariantCulture));
    }

    private async Task<SwapIntent?> FindByKeyAsync(UserId user, string key, CancellationToken cancellationToken)
    {
        var entity = await Swaps.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == user && s.IdempotencyKey == key, cancellationToken);
        return entity is null ? null : ToDomain(entity);
    }

    private static SwapIntentEntity ToEntity(SwapIntent intent, DateTimeOffset now) => new()
    {
        Id = intent.Id,
        UserId = intent.User,
        IdempotencyKey = intent.IdempotencyKey,
        State = intent.State,
        Mode = intent.Mode,
        Chain = intent.Chain,
        WalletAddress = intent.WalletAddress.ToLowerInvariant(),
        TokenInSymbol = intent.TokenIn.Symbol,
        TokenInAddress = intent.TokenIn.Address.ToLowerInvariant(),
        TokenInDecimals = intent.TokenIn.Decimals,
        TokenOutSymbol = intent.TokenOut.Symbol,
        TokenOutAddress = intent.TokenOut.Address.ToLowerInvariant(),
        TokenOutDecimals = intent.TokenOut.Decimals,
        AmountInRaw = Raw(intent.AmountIn),
        ExpectedOutRaw = Raw(intent.ExpectedOut),
        MinimumOutRaw = Raw(intent.MinimumOut),
        Route = intent.Route,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static SwapIntent ToDomain(SwapIntentEntity e)
    {
        var tokenIn = new SwapToken(e.TokenInSymbol, e.TokenInAddress, e.TokenInDecimals);
        var tokenOut = new SwapToken(e.TokenOutSymbol, e.TokenOutAddress, e.TokenOutDecimals);
        return new SwapIntent(
            e.Id, e.UserId, e.IdempotencyKey, e.State, e.Mode, e.Chain, e.WalletAddress, tokenIn, tokenOut,
            Amount(e.AmountInRaw, e.TokenInDecimals), Amount(e.ExpectedOutRaw, e.TokenOutDecimals), Amount(e.MinimumOutRaw, e.TokenOutDecimals),
            e.Route, e.AmountOutRaw is { } raw ? Amount(raw, e.TokenOutDecimals) : null, e.TransactionHash, e.FailureReason, e.CreatedAt);
    }

    private static string Raw(TokenAmount amount) => amount.Raw.ToString(CultureInfo.InvariantCulture);

    private static TokenAmount Amount(string raw, int decimals) => new(BigInteger.Parse(raw, CultureInfo.InvariantCulture), decimals);
}
