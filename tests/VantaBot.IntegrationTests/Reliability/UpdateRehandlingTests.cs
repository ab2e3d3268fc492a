using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Reliability;

/// <summary>
/// A process that dies after a handler's work but before the update is marked completed leaves an open claim; the
/// next poller releases it and Telegram's re-delivery is handled again. This checks what that re-handling promises:
/// a deposit, an open and a close run twice for the same update id trade once (their keys are the update id),
/// and the trader still gets an answer.
/// </summary>
public abstract class UpdateRehandlingTests(DatabaseProvider provider) : EmulatorBotTest(provider)
{
    private const long Trader = 4_400_001;
    private static long _nextUpdateId = 8_000_000_000 + Random.Shared.Next(1_000_000);
    private readonly TestPriceFeed _feed = new(TimeProvider.System);
    private readonly RecordingReplies _replies = new();

    protected override void OverrideServices(IServiceCollection services)
    {
        // Fixed prices: no stop-loss fires by itself while the test runs.
        _feed.Set(Pair.Usd("ETH"), 3000m);
        services.AddSingleton<IPriceFeed>(_feed);
    }

    [Fact]
    public async Task Deposit_open_and_close_handled_again_after_a_crash_before_completion_trade_once()
    {
        var deposit = await HandleTwiceAsync("/deposit 1000");
        deposit.First.ShouldHaveSingleItem().ShouldContain("Balance 1,000");
        deposit.Again.ShouldHaveSingleItem("the re-handled update is answered");
        (await AccountAsync()).Balance.ShouldBe(1000m, "one credit");

        var open = await HandleTwiceAsync("/long ETH 100 2x");
        open.First.ShouldHaveSingleItem().ShouldContain("✅ Opened");
        open.Again.ShouldHaveSingleItem().ShouldContain("already handled");
        var positions = await OpenPositionsAsync();
        var position = positions.ShouldHaveSingleItem("one position");
        var afterOpen = await AccountAsync();

        var close = await HandleTwiceAsync($"/close {position.Id}");
        close.First.ShouldHaveSingleItem().ShouldContain("Closed");
        // The close command looks the position up before it places the close intent: the second run finds it closed
        // and says so, without a second intent.
        close.Again.ShouldHaveSingleItem().ShouldContain("no open position");
        (await OpenPositionsAsync()).ShouldBeEmpty();

        await using var scope = Bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
        (await db.OrderIntents.CountAsync(i => i.UserId == new UserId(Trader))).ShouldBe(2, "one open and one close intent");
        (await scope.ServiceProvider.GetRequiredService<IAccountLedger>().VerifyAsync(default)).ShouldBeEmpty();
        (await AccountAsync()).Balance.ShouldBeLessThan(afterOpen.Balance + 100m, "the collateral came back once, less fees");
    }

    /// <summary>
    /// Handles <paramref name="text"/> as one update, then makes it look as if the process died before completing it
    /// (the claim reopened), releases the open claims as the poller does at start and handles the same update again.
    /// </summary>
    private async Task<(IReadOnlyList<string> First, IReadOnlyList<string> Again)> HandleTwiceAsync(string text)
    {
        var pipeline = Bot.Services.GetRequiredService<UpdatePipeline>();
        var update = Update(text);
        (await pipeline.HandleAsync(update, _replies, default)).ShouldBeTrue();
        var first = _replies.Take().Sent.Select(s => s.Text).ToList();
        (await pipeline.HandleAsync(update, _replies, default)).ShouldBeFalse("a completed update is a duplicate");
        _replies.Take().Sent.ShouldBeEmpty();

        await using (var scope = Bot.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
            (await db.ProcessedUpdates.Where(u => u.UpdateId == update.UpdateId)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.CompletedAt, (DateTimeOffset?)null))).ShouldBe(1);
            (await scope.ServiceProvider.GetRequiredService<IProcessedUpdateStore>().ReleaseUnfinishedAsync(default)).ShouldContain(update.UpdateId);
        }

        (await pipeline.HandleAsync(update, _replies, default)).ShouldBeTrue("a released update is handled again");
        var again = _replies.Take().Sent.Select(s => s.Text).ToList();
        return (first, again);
    }

    private static TelegramUpdate Update(string text)
    {
        var id = Interlocked.Increment(ref _nextUpdateId);
        var from = new TelegramUser { Id = Trader, FirstName = "Rehandled" };
        var chat = new TelegramChat { Id = Trader, Type = "private" };
        return new TelegramUpdate { UpdateId = id, Message = new TelegramMessage { MessageId = id, From = from, Chat = chat, Text = text } };
    }

    private async Task<AccountSnapshot> AccountAsync()
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IAccountLedger>().GetAsync(new UserId(Trader), default);
    }

    private async Task<IReadOnlyList<Position>> OpenPositionsAsync()
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        var all = await scope.ServiceProvider.GetRequiredService<IPositionStore>().GetAllOpenAsync(default);
        return all.Where(p => p.User == new UserId(Trader)).ToList();
    }
}

public sealed class SqliteUpdateRehandlingTests() : UpdateRehandlingTests(DatabaseProvider.Sqlite);

public sealed class PostgresUpdateRehandlingTests() : UpdateRehandlingTests(DatabaseProvider.Postgres);
