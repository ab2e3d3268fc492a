using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using VantaBot.Bench.Shared;
using VantaBot.Bot;
using VantaBot.Bot.Transports;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Copy.Mirroring;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

// Copy-trading fan-out: N DRY followers of one bot leader, one leader open, in the real host (BotApplication.Build:
// the capture in the leader's settlement, the fan-out service, the mirror workers, each mirror a full DRY order of
// its follower with gates, Redis/in-process limits, risk, hold and settlement). Measures the time until every mirror
// is queued and until every mirror is resolved with its notification in the outbox. Usage:
//   dotnet run -c Release --project bench/VantaBot.Bench.Copy -- [--followers 10000] [--workers 4]
//       [--only sqlite|postgres] [--pg "<admin conn>"] [--redis host:port]
var followers = int.Parse(Arg("--followers") ?? "10000", CultureInfo.InvariantCulture);
var workers = Arg("--workers") ?? "4";
var only = Arg("--only");
Console.WriteLine($"# {DateTimeOffset.UtcNow:u} · {Environment.ProcessorCount} logical CPUs · {System.Runtime.InteropServices.RuntimeInformation.OSDescription} · .NET {Environment.Version}");
Console.WriteLine($"# {followers:#,0} DRY followers of one bot leader, {workers} mirror workers · load average at start: {LoadAverage()}");

if (only is null or "sqlite")
{
    var file = Path.Combine(Path.GetTempPath(), $"vantabot-copy-{Guid.NewGuid():N}.db");
    await RunAsync("SQLite, in-process limits", new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Main"] = $"Data Source={file}",
    });
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    foreach (var leftover in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
    {
        File.Delete(leftover);
    }
}

if (only is null or "postgres")
{
    var admin = new NpgsqlConnectionStringBuilder(Arg("--pg") ?? throw new ArgumentException("--pg <admin connection string> is required for the postgres scenario"));
    var database = $"vantabot_copy_{DateTimeOffset.UtcNow:yyyyMMddHHmmss}";
    await ExecuteAdminAsync(admin, $"CREATE DATABASE {database}");
    var bot = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database };
    await RunAsync("PostgreSQL + Redis", new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Main"] = bot.ConnectionString,
        ["Redis:Connection"] = Arg("--redis") ?? throw new ArgumentException("--redis host:port is required for the postgres scenario"),
        ["Limits:KeyPrefix"] = $"copy:{Guid.NewGuid():N}",
    });
    NpgsqlConnection.ClearAllPools();
    await ExecuteAdminAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
}

async Task RunAsync(string name, Dictionary<string, string?> settings)
{
    Console.WriteLine($"## {name}");
    var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["Copy:Workers"] = workers,
        ["Copy:PollInterval"] = "00:00:00.050",
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };
    foreach (var (key, value) in settings)
    {
        merged[key] = value;
    }

    var app = await HeadlessBot.StartAsync(merged);
    try
    {
        var leader = new UserId(1);
        var seed = Stopwatch.StartNew();
        await SeedAsync(app.Services, leader);
        Console.WriteLine(Inv($"seed: leader + {followers:#,0} followers (accounts, deposits, follows) in {seed.Elapsed.TotalSeconds:0.0} s"));

        var clock = Stopwatch.StartNew();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<PerpTradeService>().OpenAsync(
                new OpenPositionOrder(leader, "bench:open", Pair.Usd("ETH"), Side.Long, 1_000m, 5m, null, null, IsConfirmed: true), CancellationToken.None);
            if (outcome is not OpenPositionOutcome.Opened)
            {
                throw new InvalidOperationException($"The leader's open failed: {outcome.Message}");
            }
        }

        var leaderOpen = clock.Elapsed;
        TimeSpan? fannedOut = null;
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            await using var db = Context(app.Services);
            var trade = await db.Set<LeaderTradeEntity>().AsNoTracking().SingleAsync();
            if (fannedOut is null && trade.FannedOutAt is not null)
            {
                fannedOut = clock.Elapsed;
                var queued = await db.Set<MirrorEntity>().CountAsync(m => m.LeaderTradeId == trade.Id);
                Console.WriteLine(Inv($"fan-out: {queued:#,0} mirrors queued {fannedOut.Value.TotalSeconds:0.000} s after the leader's open was sent (the open itself took {leaderOpen.TotalMilliseconds:0} ms)"));
            }

            var pending = await db.Set<MirrorEntity>().CountAsync(m => m.LeaderTradeId == trade.Id && m.State == MirrorState.Pending);
            if (fannedOut is not null && pending == 0)
            {
                break;
            }

            if (clock.Elapsed - lastPrint > TimeSpan.FromSeconds(10))
            {
                lastPrint = clock.Elapsed;
                Console.WriteLine(Inv($"  … {clock.Elapsed.TotalSeconds:0} s: {pending:#,0} pending · load average {LoadAverage()}"));
            }

            await Task.Delay(20);
        }

        var resolved = clock.Elapsed;
        await using (var db = Context(app.Services))
        {
            var states = await db.Set<MirrorEntity>().AsNoTracking().GroupBy(m => m.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            var reasons = await db.Set<MirrorEntity>().AsNoTracking().Where(m => m.State != MirrorState.Done).GroupBy(m => m.Reason).Select(g => new { g.Key, Count = g.Count() }).Take(5).ToListAsync();
            var notices = await db.Set<OutboxMessageEntity>().AsNoTracking().CountAsync(m => m.Key.Contains(":copy:") || m.Key.StartsWith("copy:"));
            var fills = await db.OrderIntents.AsNoTracking().CountAsync(i => i.IdempotencyKey.StartsWith("copy:") && i.State == IntentState.Filled);
            var mirrorSeconds = (resolved - fannedOut!.Value).TotalSeconds;
            Console.WriteLine(Inv($"resolved: all mirrors resolved {resolved.TotalSeconds:0.0} s after the open ({followers / resolved.TotalSeconds:#,0} mirrors/s overall, {followers / mirrorSeconds:#,0}/s after the fan-out) · states {string.Join(", ", states.Select(s => $"{s.Key} {s.Count:#,0}"))} · filled copy intents {fills:#,0} · follower notifications in the outbox {notices:#,0} · load average {LoadAverage()}"));
            foreach (var reason in reasons)
            {
                Console.WriteLine(Inv($"  not done: {reason.Count:#,0} × {reason.Key}"));
            }
        }
    }
    finally
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

async Task SeedAsync(IServiceProvider services, UserId leader)
{
    await using (var scope = services.CreateAsyncScope())
    {
        await scope.ServiceProvider.GetRequiredService<IAccountLedger>().DepositAsync(leader, 1_000_000m, "bench:seed", CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<ICopyLeaderStore>().SetAsync(leader, true, CancellationToken.None);
    }

    // Bulk rows as the stores write them (a deposit is an account balance plus its ledger entry): the bench
    // measures mirroring, not 10,000 /deposit commands.
    var since = DateTimeOffset.UtcNow.AddMinutes(-1);
    const int chunk = 2_000;
    for (var start = 0; start < followers; start += chunk)
    {
        await using var db = Context(services);
        foreach (var i in Enumerable.Range(start, Math.Min(chunk, followers - start)))
        {
            var user = new UserId(1_000_000 + i);
            db.Accounts.Add(new AccountEntity { UserId = user, BalanceMicros = Usdc.ToMicros(1_000m) });
            db.LedgerEntries.Add(new LedgerEntryEntity { UserId = user, Kind = "deposit", AmountMicros = Usdc.ToMicros(1_000m), Reference = "bench:seed", CreatedAt = since });
            db.Add(new FollowEntity
            {
                FollowerId = user, LeaderKind = LeaderKind.Bot, LeaderKey = LeaderRef.Bot(leader).Key, SizeKind = CopySizeKind.FixedUsd, SizeValue = 100m,
                CreatedAt = since, UpdatedAt = since,
            });
        }

        await db.SaveChangesAsync();
    }
}

static VantaBotDbContext Context(IServiceProvider services) =>
    services.CreateScope().ServiceProvider.GetRequiredService<VantaBotDbContext>();

static async Task ExecuteAdminAsync(NpgsqlConnectionStringBuilder admin, string sql)
{
    await using var connection = new NpgsqlConnection(admin.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
