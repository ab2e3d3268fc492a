using System.Numerics;
using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.Infrastructure.Persistence.Swaps;
using VantaBot.IntegrationTests.Support;
using VantaBot.Risk;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Swaps;

/// <summary>Swap holds on each database under real concurrency: the check and the hold are one step per wallet token.</summary>
public abstract class SwapIntentStoreTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const string Wallet = "0xAbC0000000000000000000000000000000000001";
    private static readonly UserId Trader = new(2001);
    private static readonly SwapToken Weth = new("WETH", "0x4200000000000000000000000000000000000006", 18);
    private static readonly SwapToken Usdc = new("USDC", "0x833589FCD6eDb6E08f4c7C32D4f71b54bdA02913", 6);
    private readonly ManualClock _time = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Fifty_concurrent_swaps_against_a_balance_for_ten_hold_exactly_ten()
    {
        var balance = Weth18(10m);
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => UseAsync(s => s.PlaceAsync(Intent($"update:{i}", 1m), balance, default)))));

        results.Count(r => r.Outcome == PlaceSwapOutcome.Placed).ShouldBe(10);
        results.Count(r => r.Outcome == PlaceSwapOutcome.InsufficientFunds).ShouldBe(40);
        (await UseAsync(s => s.GetHeldAsync("anvil", Wallet, Weth, default))).ShouldBe(Weth18(10m));

        // Fills and failures both end the hold; each writes one outcome notice.
        var placed = results.Where(r => r.Outcome == PlaceSwapOutcome.Placed).Select(r => r.Intent).ToList();
        foreach (var intent in placed.Take(4))
        {
            await UseAsync(s => s.MarkSubmittedAsync(intent.Id, default));
            await UseAsync(s => s.CompleteAsync(intent.Id, new SwapFill(intent.Id, new TokenAmount(3_000_000_000, 6), "0x" + new string('a', 64), new TokenAmount(0, 18)), default));
        }

        foreach (var intent in placed.Skip(4))
        {
            await UseAsync(s => s.FailAsync(intent.Id, IntentState.Failed, "reverted", default));
        }

        (await UseAsync(s => s.GetHeldAsync("anvil", Wallet, Weth, default))).Raw.IsZero.ShouldBeTrue();
        (await UseAsync(s => s.GetUnresolvedAsync(default))).ShouldBeEmpty();
        await using var db = _database.CreateContext();
        (await db.Set<OutboxMessageEntity>().CountAsync()).ShouldBe(10);
    }

    [Fact]
    public async Task One_order_delivered_five_times_at_once_places_one_swap()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            Task.Run(() => UseAsync(s => s.PlaceAsync(Intent("update:9", 1m), Weth18(10m), default)))));

        results.Count(r => r.Outcome == PlaceSwapOutcome.Placed).ShouldBe(1);
        results.Count(r => r.Outcome == PlaceSwapOutcome.Duplicate).ShouldBe(4);
        results.Select(r => r.Intent.Id).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task Settling_twice_settles_once_and_a_failed_swap_cannot_fill()
    {
        var placed = (await UseAsync(s => s.PlaceAsync(Intent("update:1", 2m), Weth18(5m), default))).Intent;
        var fill = new SwapFill(placed.Id, new TokenAmount(BigInteger.Parse("6000000000"), 6), "0x" + new string('b', 64), new TokenAmount(0, 18));
        await UseAsync(s => s.CompleteAsync(placed.Id, fill, default));
        var again = await UseAsync(s => s.CompleteAsync(placed.Id, fill, default));
        again.State.ShouldBe(IntentState.Filled);
        again.AmountOut!.Value.ToDecimal().ShouldBe(6000m);

        var other = (await UseAsync(s => s.PlaceAsync(Intent("update:2", 1m), Weth18(5m), default))).Intent;
        await UseAsync(s => s.FailAsync(other.Id, IntentState.Cancelled, "not submitted before a restart", default));
        await Should.ThrowAsync<InvalidOperationException>(() => UseAsync(s => s.CompleteAsync(other.Id, fill with { ClientOrderId = other.Id }, default)));
        await using var db = _database.CreateContext();
        (await db.Set<OutboxMessageEntity>().CountAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task Holds_are_per_wallet_and_token_and_addresses_compare_without_case()
    {
        await UseAsync(s => s.PlaceAsync(Intent("update:1", 4m), Weth18(5m), default));
        var otherToken = Intent("update:2", 1m) with { TokenIn = Usdc, TokenOut = Weth, AmountIn = new TokenAmount(1_000_000, 6) };
        (await UseAsync(s => s.PlaceAsync(otherToken, new TokenAmount(1_000_000, 6), default))).Outcome.ShouldBe(PlaceSwapOutcome.Placed);

        var sameLowerCase = Intent("update:3", 2m) with { WalletAddress = Wallet.ToLowerInvariant() };
        var refused = await UseAsync(s => s.PlaceAsync(sameLowerCase, Weth18(5m), default));
        refused.Outcome.ShouldBe(PlaceSwapOutcome.InsufficientFunds);
        refused.Available.ToDecimal().ShouldBe(1m);
    }

    private static TokenAmount Weth18(decimal amount)
    {
        TokenAmount.TryFromDecimal(amount, 18, out var raw, out _).ShouldBeTrue();
        return raw;
    }

    private SwapIntent Intent(string key, decimal amount) => new(
        IntentId.New(), Trader, key, IntentState.Pending, ExecutionMode.Live, "anvil", Wallet, Weth, Usdc, Weth18(amount),
        new TokenAmount(3_000_000_000, 6), new TokenAmount(2_985_000_000, 6), "uniswap-v2", null, null, null, _time.GetUtcNow());

    private async Task<T> UseAsync<T>(Func<SwapIntentStore, Task<T>> action)
    {
        await using var db = _database.CreateContext();
        return await action(new SwapIntentStore(db, _time));
    }

    private async Task UseAsync(Func<SwapIntentStore, Task> action)
    {
        await using var db = _database.CreateContext();
        await action(new SwapIntentStore(db, _time));
    }
}

public sealed class SqliteSwapIntentStoreTests() : SwapIntentStoreTests(DatabaseProvider.Sqlite);

public sealed class PostgresSwapIntentStoreTests() : SwapIntentStoreTests(DatabaseProvider.Postgres);
