using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Copy.Mirroring;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Copy;

/// <summary>
/// The real bot host on a test database and the shared Redis (its own key prefix), with fast mirror polling; the
/// trades are placed through the same services the chat commands use.
/// </summary>
public sealed class MirrorTestBot : IAsyncDisposable
{
    private readonly TelegramEmulator _telegram;

    private MirrorTestBot(RunningBot running, TelegramEmulator telegram)
    {
        Running = running;
        _telegram = telegram;
    }

    public RunningBot Running { get; }

    public static async Task<MirrorTestBot> StartAsync(TestDatabase database, string redisPrefix, IDictionary<string, string?>? extra = null)
    {
        var telegram = TelegramEmulator.FromEnvironment();
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Connection"] = RedisServer.SharedConnection,
            ["Limits:KeyPrefix"] = redisPrefix,
            ["Copy:PollInterval"] = "00:00:00.050",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var running = await RunningBot.StartAsync(telegram, database, settings);
        await running.WaitUntilReadyAsync();
        return new MirrorTestBot(running, telegram);
    }

    public async Task<T> UseAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Running.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task UseAsync(Func<IServiceProvider, Task> action) => UseAsync(async sp =>
    {
        await action(sp);
        return true;
    });

    public Task DepositAsync(UserId user, decimal amount) =>
        UseAsync(sp => sp.GetRequiredService<IAccountLedger>().DepositAsync(user, amount, $"seed:{user.Value}:{amount}", default));

    public Task LeadAsync(UserId leader) => UseAsync(sp => sp.GetRequiredService<ICopyLeaderStore>().SetAsync(leader, true, default));

    public Task FollowAsync(UserId follower, UserId leader, FollowSettings settings) =>
        UseAsync(sp => sp.GetRequiredService<IFollowStore>().UpsertAsync(new Follow(follower, LeaderRef.Bot(leader), settings, DateTimeOffset.UtcNow), default));

    public async Task<Position> OpenAsync(UserId user, Side side, decimal collateral, decimal leverage, string key)
    {
        var outcome = await UseAsync(sp => sp.GetRequiredService<PerpTradeService>().OpenAsync(
            new OpenPositionOrder(user, key, Pair.Usd("ETH"), side, collateral, leverage, null, null, IsConfirmed: true), default));
        return outcome.ShouldBeOfType<OpenPositionOutcome.Opened>().Position;
    }

    public async Task<PositionClose> CloseAsync(UserId user, PositionId position, decimal fraction, string key)
    {
        var outcome = await UseAsync(sp => sp.GetRequiredService<PerpCloseService>().CloseAsync(
            new ClosePositionOrder(user, key, position, fraction, CloseReason.Manual), default));
        return outcome.ShouldBeOfType<ClosePositionOutcome.Closed>().Close;
    }

    /// <summary>The captured leader trade of a position's open or close, by its source key.</summary>
    public Task<LeaderTradeEntity?> TradeAsync(string sourceKey) =>
        UseAsync(sp => sp.GetRequiredService<Infrastructure.Persistence.VantaBotDbContext>().Set<LeaderTradeEntity>().AsNoTracking().SingleOrDefaultAsync(t => t.SourceKey == sourceKey));

    public Task<List<LeaderTradeEntity>> TradesAsync() =>
        UseAsync(sp => sp.GetRequiredService<Infrastructure.Persistence.VantaBotDbContext>().Set<LeaderTradeEntity>().AsNoTracking().OrderBy(t => t.Id).ToListAsync());

    public Task<List<MirrorEntity>> MirrorsAsync(long tradeId) =>
        UseAsync(sp => sp.GetRequiredService<Infrastructure.Persistence.VantaBotDbContext>().Set<MirrorEntity>().AsNoTracking().Where(m => m.LeaderTradeId == tradeId).OrderBy(m => m.Id).ToListAsync());

    /// <summary>Waits until the trade is fanned out and none of its mirrors is Pending; fails after a generous bound.</summary>
    public async Task<List<MirrorEntity>> WaitResolvedAsync(long tradeId, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var trade = await UseAsync(sp => sp.GetRequiredService<Infrastructure.Persistence.VantaBotDbContext>().Set<LeaderTradeEntity>().AsNoTracking().SingleAsync(t => t.Id == tradeId));
            var mirrors = await MirrorsAsync(tradeId);
            if (trade.FannedOutAt is not null && mirrors.All(m => m.State != MirrorState.Pending))
            {
                return mirrors;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Trade {tradeId}: fanned out {trade.FannedOutAt is not null}, mirrors {string.Join(", ", mirrors.Select(m => $"{m.FollowerId.Value}:{m.State}"))}");
            }

            await Task.Delay(50);
        }
    }

    public Task<List<Infrastructure.Persistence.Entities.OrderIntentEntity>> IntentsAsync(UserId user) =>
        UseAsync(sp => sp.GetRequiredService<Infrastructure.Persistence.VantaBotDbContext>().OrderIntents.AsNoTracking()
            .Where(i => i.UserId == user).OrderBy(i => i.CreatedAt).ToListAsync());

    public Task<Position?> PositionAsync(PositionId id) => UseAsync(sp => sp.GetRequiredService<IPositionStore>().FindAsync(id, default));

    public Task<string?> NoticeAsync(long mirrorId) =>
        UseAsync(sp => sp.GetRequiredService<Infrastructure.Persistence.VantaBotDbContext>().Set<OutboxMessageEntity>().AsNoTracking()
            .Where(m => m.Key == MirrorStore.NoticeKey(mirrorId)).Select(m => m.Text).SingleOrDefaultAsync());

    public Task<string?> OutboxTextAsync(string key) =>
        UseAsync(sp => sp.GetRequiredService<Infrastructure.Persistence.VantaBotDbContext>().Set<OutboxMessageEntity>().AsNoTracking()
            .Where(m => m.Key == key).Select(m => m.Text).SingleOrDefaultAsync());

    public async ValueTask DisposeAsync()
    {
        await Running.DisposeAsync();
        _telegram.Dispose();
    }
}
