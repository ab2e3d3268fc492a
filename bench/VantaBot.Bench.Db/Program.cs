using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Users;

// What one small query costs the bot's process at each layer between a handler and PostgreSQL: raw Npgsql, EF Core
// on a held connection, EF Core opening the connection per query (with and without Npgsql's session reset), and a
// fresh DI scope + DbContext per query as the bot builds one per update (pooled, as registered, and the way it was
// before). Same query each time: one account by user id. CPU is the whole process's, per query.
var connectionString = Arg("--pg") ?? Environment.GetEnvironmentVariable("VANTABOT_TEST_PG")
    ?? throw new InvalidOperationException("Pass --pg <connection string> or set VANTABOT_TEST_PG (an admin that may CREATE DATABASE).");
var ops = int.Parse(Arg("--ops") ?? "4000", CultureInfo.InvariantCulture);
var database = $"bench_db_{Environment.ProcessId}";
await ExecuteAsync(connectionString, $"CREATE DATABASE {database}");
try
{
    var benchConnection = new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;
    var options = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = benchConnection };
    await using var asRegistered = Provider(s => s.AddVantaBotPersistence(options));
    await using var before = Provider(s => s.AddDbContext<VantaBotDbContext>(b => PersistenceRegistration.Configure(b, options)));
    await using (var scope = asRegistered.CreateAsyncScope())
    {
        await scope.ServiceProvider.GetRequiredService<VantaBotDbContext>().Database.MigrateAsync();
    }

    var withDefaults = PersistenceRegistration.WithPoolDefaults(benchConnection);
    await using var pooled = NpgsqlDataSource.Create(withDefaults);
    await using var resetting = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(withDefaults) { NoResetOnClose = false }.ConnectionString);
    await ExecuteAsync(withDefaults, "INSERT INTO accounts (user_id, balance_micros, held_micros) VALUES (1, 5000000, 0)");
    var user = new UserId(1);
    const string Sql = "SELECT user_id, balance_micros, held_micros FROM accounts WHERE user_id = $1";

    await using var held = await pooled.OpenConnectionAsync();
    await using var heldScope = asRegistered.CreateAsyncScope();
    var heldContext = heldScope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
    await using var openCloseScope = asRegistered.CreateAsyncScope();
    var openCloseContext = openCloseScope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
    await heldContext.Database.OpenConnectionAsync();

    var variants = new (string Name, Func<Task> Query)[]
    {
        ("raw Npgsql, one open connection", () => RawAsync(held)),
        ("raw Npgsql, pool rent per query, no reset (bot default)", async () => { await using var c = await pooled.OpenConnectionAsync(); await RawAsync(c); }),
        ("raw Npgsql, pool rent per query, session reset", async () => { await using var c = await resetting.OpenConnectionAsync(); await RawAsync(c); }),
        ("EF Core, one context, connection held open", () => heldContext.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == user)),
        ("EF Core, one context, open/close per query", () => openCloseContext.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == user)),
        ("EF Core, new scope + context per query (as registered)", () => ScopedAsync(asRegistered, user)),
        ("EF Core, new scope + context per query (before: unpooled, options per scope)", () => ScopedAsync(before, user)),
    };

    // Round 1 warms every path up (JIT tiers); round 2 is reported.
    for (var round = 1; round <= 2; round++)
    {
        foreach (var (name, query) in variants)
        {
            var (wall, cpu) = await MeasureAsync(query, round == 1 ? Math.Min(ops, 1000) : ops);
            if (round == 2)
            {
                Console.WriteLine($"{name,-80} {wall,8:0} µs wall  {cpu,8:0} µs CPU per query");
            }
        }
    }

    async Task RawAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(Sql, connection) { Parameters = { new() { Value = 1L } } };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }
    }
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await ExecuteAsync(connectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
}

static async Task ScopedAsync(ServiceProvider services, UserId user)
{
    await using var scope = services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<VantaBotDbContext>().Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == user);
}

static async Task<(double WallMicros, double CpuMicros)> MeasureAsync(Func<Task> query, int count)
{
    using var process = Process.GetCurrentProcess();
    process.Refresh();
    var cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        await query();
    }

    clock.Stop();
    process.Refresh();
    return (clock.Elapsed.TotalMicroseconds / count, (process.TotalProcessorTime - cpu).TotalMicroseconds / count);
}

static ServiceProvider Provider(Action<IServiceCollection> configure)
{
    var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
    configure(services);
    return services.BuildServiceProvider();
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
