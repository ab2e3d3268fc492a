using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using VantaBot.Bot.Jobs;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.DailyLoss;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Persistence;

/// <summary>
/// The daily loss reset on a real database with a hand-moved clock: one snapshot per user per UTC day, the 00:00
/// run, the start-up catch-up after a process was down over midnight, and concurrent runs of two instances.
/// </summary>
public abstract class DailyLossResetTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly UserId Alice = new(3001);
    private static readonly UserId Bob = new(3002);
    private static readonly DateOnly Nov22 = new(2026, 11, 22);

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 23, 59, 59, TimeSpan.Zero));
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(_clock);
        services.AddVantaBotPersistence(_database.Options);
        services.AddSingleton<IPriceFeed, NoPrices>();
        services.AddScoped<PortfolioValuation>();
        services.AddScoped<DayStartEquity>();
        services.AddScoped<DailyLossReset>();
        services.AddSingleton(new JobsInstance("test-instance"));
        services.AddSingleton<DailyResetCatchUp>();
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<DatabaseReadiness>().MarkReady();
        await DepositAsync(Alice, 1_000m, "a1");
        await DepositAsync(Bob, 500m, "b1");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Each_day_starts_once_from_a_snapshot_and_a_missed_midnight_is_caught_up_at_start()
    {
        // Late on the 22nd: the first run of the day snapshots both accounts; a second run finds the day done.
        (await RunAsync()).ShouldBe(new DailyResetReport(Nov22, AlreadyDone: false, 2));
        (await RunAsync()).ShouldBe(new DailyResetReport(Nov22, AlreadyDone: true, 0));

        // Alice's equity grows during the evening; the 22nd keeps its start, the 23rd starts from the new equity.
        await DepositAsync(Alice, 500m, "a2");
        _clock.Set(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
        (await RunAsync()).Snapshots.ShouldBe(2);

        // Down from the 23rd until 08:00 on the 25th: the start-up catch-up starts the 25th; the 24th never ran.
        await DepositAsync(Bob, 100m, "b2");
        _clock.Set(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var catchUp = _services.GetRequiredService<DailyResetCatchUp>();
        await catchUp.StartAsync(default);
        await catchUp.ExecuteTask!;

        (await SnapshotsAsync()).ShouldBe(
        [
            (Alice.Value, "2026-11-22", 1_000m), (Alice.Value, "2026-11-23", 1_500m), (Alice.Value, "2026-11-25", 1_500m),
            (Bob.Value, "2026-11-22", 500m), (Bob.Value, "2026-11-23", 500m), (Bob.Value, "2026-11-25", 600m),
        ]);
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
        (await db.Set<JobRunEntity>().OrderBy(r => r.Period).Select(r => r.Period).ToListAsync()).ShouldBe(["2026-11-22", "2026-11-23", "2026-11-25"]);

        // Another start the same day changes nothing.
        (await RunAsync()).AlreadyDone.ShouldBeTrue();
        (await SnapshotsAsync()).Count.ShouldBe(6);
    }

    [Fact]
    public async Task The_trade_path_reads_the_snapshot_and_fixes_a_missing_one_at_the_first_order()
    {
        await RunAsync();
        await using (var scope = _services.CreateAsyncScope())
        {
            var start = scope.ServiceProvider.GetRequiredService<DayStartEquity>();
            (await start.ForTodayAsync(Alice, currentEquity: 700m, default)).ShouldBe(1_000m);
        }

        _clock.Advance(TimeSpan.FromHours(2));
        await using (var scope = _services.CreateAsyncScope())
        {
            var start = scope.ServiceProvider.GetRequiredService<DayStartEquity>();
            (await start.ForTodayAsync(Alice, currentEquity: 700m, default)).ShouldBe(700m);
            (await start.ForTodayAsync(Alice, currentEquity: 650m, default)).ShouldBe(700m);
        }

        // The 00:00 job running late finds the day already started for Alice and leaves her start alone.
        (await RunAsync()).Snapshots.ShouldBe(1);
        (await SnapshotsAsync()).ShouldContain((Alice.Value, "2026-11-23", 700m));
    }

    [Fact]
    public async Task Two_instances_resetting_at_once_write_each_snapshot_and_the_day_once()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(RunAsync)));

        runs.Sum(r => r.Snapshots).ShouldBe(2);
        (await SnapshotsAsync()).Count.ShouldBe(2);
        await using var scope = _services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<VantaBotDbContext>().Set<JobRunEntity>().CountAsync()).ShouldBe(1);
    }

    private async Task<DailyResetReport> RunAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DailyLossReset>().RunAsync("test-instance", default);
    }

    private async Task DepositAsync(UserId user, decimal amount, string key)
    {
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IAccountLedger>().DepositAsync(user, amount, key, default);
    }

    private async Task<List<(long User, string Day, decimal Equity)>> SnapshotsAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<VantaBotDbContext>().Set<DailyEquitySnapshotEntity>().AsNoTracking().ToListAsync();
        return rows.OrderBy(r => r.UserId.Value).ThenBy(r => r.Day)
            .Select(r => (r.UserId.Value, r.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), r.Equity)).ToList();
    }

    private sealed class NoPrices : IPriceFeed
    {
        public IReadOnlyCollection<Pair> SupportedPairs => [];

        public Task<PriceReading?> GetPriceAsync(Pair pair, CancellationToken cancellationToken) => Task.FromResult<PriceReading?>(null);
    }
}

public sealed class SqliteDailyLossResetTests() : DailyLossResetTests(DatabaseProvider.Sqlite);

public sealed class PostgresDailyLossResetTests() : DailyLossResetTests(DatabaseProvider.Postgres);
