using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using VantaBot.Bench.Load;
using VantaBot.Bench.Shared;
using VantaBot.Bot;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Transports;
using VantaBot.Infrastructure.Persistence;

// Simulated users driving the real update pipeline in-process (the host BotApplication.Build makes, the real
// UpdatePipeline, DB, limiter and paper venue), on SQLite with in-process limits and on PostgreSQL + Redis, next to
// pgbench and redis-benchmark at the same client count in the same run. Usage:
//   dotnet run -c Release --project bench/VantaBot.Bench.Load -- --pg "<admin conn>" --redis host:port
//       [--clients 16] [--seconds 15] [--users 10000] [--pgbin /usr/lib/postgresql/15/bin] [--only sqlite|postgres]
//       [--pg-pid <postmaster pid>] [--redis-pid <redis-server pid>]   (CPU attribution per phase, from /proc)
//       [--warmup 90]   (most seconds of mixed load before measuring; it stops sooner once the JIT has settled)
var options = BenchOptions.Parse(args);
var warmUpSlice = TimeSpan.FromSeconds(5);
const long warmUpQuietMethods = 100;
Console.WriteLine($"# {DateTimeOffset.UtcNow:u} · {Environment.ProcessorCount} logical CPUs · {System.Runtime.InteropServices.RuntimeInformation.OSDescription} · .NET {Environment.Version}");
Console.WriteLine($"# clients {options.Clients}, {options.Seconds} s per phase, {options.Users:#,0} users · load average at start: {LoadAverage()}");

var results = new List<ScenarioResult>();
if (options.Only is null or "sqlite")
{
    var file = Path.Combine(Path.GetTempPath(), $"vantabot-load-{Guid.NewGuid():N}.db");
    results.Add(await RunScenarioAsync("SQLite, in-process limits", new ResourceMeter(null, null, null), new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Main"] = $"Data Source={file}",
    }));
    foreach (var leftover in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
    {
        File.Delete(leftover);
    }
}

double? pgbenchTps = null;
double? redisRps = null;
if (options.Only is null or "postgres")
{
    var admin = new NpgsqlConnectionStringBuilder(options.PgAdmin ?? throw new ArgumentException("--pg <admin connection string> is required for the postgres scenario"));
    var database = $"vantabot_load_{DateTimeOffset.UtcNow:yyyyMMddHHmmss}";
    await ExecuteAdminAsync(admin, $"CREATE DATABASE {database}");
    var bot = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database };
    results.Add(await RunScenarioAsync("PostgreSQL + Redis", new ResourceMeter(options.PgPid, options.RedisPid, bot.ConnectionString), new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Main"] = bot.ConnectionString,
        ["Redis:Connection"] = options.Redis ?? throw new ArgumentException("--redis host:port is required for the postgres scenario"),
        // A fresh prefix: a previous run's counters must not refuse this run's users.
        ["Limits:KeyPrefix"] = $"load:{Guid.NewGuid():N}",
    }));
    NpgsqlConnection.ClearAllPools();
    await ExecuteAdminAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");

    pgbenchTps = await RunPgbenchAsync(admin);
    redisRps = RunRedisBenchmark(options.Redis);
}

Console.WriteLine();
Console.WriteLine("| scenario | updates/s (mix) | p50 ms | p99 ms | DRY opens/s (orders only) | open p50 ms | open p99 ms | working set MB | GC heap MB | refused/failed |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
foreach (var r in results)
{
    Console.WriteLine(Inv($"| {r.Name} | {r.Mix.PerSecond:#,0} | {r.Mix.P50:0.00} | {r.Mix.P99:0.00} | {r.Orders.OpensPerSecond:#,0} | {r.Orders.P50:0.00} | {r.Orders.P99:0.00} | {r.WorkingSetMb:0} | {r.GcHeapMb:0} | {r.Mix.NotOk + r.Orders.NotOk} |"));
}

if (pgbenchTps is { } tps && results.Find(r => r.Name.StartsWith("PostgreSQL", StringComparison.Ordinal)) is { } pg)
{
    Console.WriteLine();
    Console.WriteLine(Inv($"ratio DRY opens/s on PostgreSQL ÷ pgbench TPS (-c {options.Clients}): {pg.Orders.OpensPerSecond:0} / {tps:0} = {pg.Orders.OpensPerSecond / tps:0.00}× (target ≥ 0.50×)"));
    Console.WriteLine(Inv($"ratio mixed updates/s on PostgreSQL ÷ pgbench TPS: {pg.Mix.PerSecond:0} / {tps:0} = {pg.Mix.PerSecond / tps:0.00}×"));
    if (redisRps is { } rps)
    {
        Console.WriteLine(Inv($"ratio mixed updates/s ÷ redis-benchmark INCR rps (-c {options.Clients}): {pg.Mix.PerSecond:0} / {rps:0} = {pg.Mix.PerSecond / rps:0.000}×"));
    }
}

Console.WriteLine($"# load average at end: {LoadAverage()}");
return;

async Task<ScenarioResult> RunScenarioAsync(string name, ResourceMeter meter, Dictionary<string, string?> settings)
{
    Console.WriteLine($"## {name}");
    // No token, so the Console transport, whose terminal never types: the simulated users call the pipeline themselves.
    var app = await HeadlessBot.StartAsync(settings);
    try
    {
        var pipeline = app.Services.GetRequiredService<UpdatePipeline>();
        var driver = new LoadDriver(pipeline, options.Clients, options.Users);

        var seed = await driver.SeedAsync();
        Console.WriteLine(Inv($"seed: {options.Users:#,0} users × first-contact /deposit in {seed.Elapsed.TotalSeconds:0.0} s = {seed.PerSecond:#,0} updates/s, p50 {seed.P50:0.00} ms, p99 {seed.P99:0.00} ms, not ok {seed.NotOk}"));

        var warmUp = await WarmUpAsync(driver);
        Console.WriteLine(Inv($"warm-up: {warmUp.Elapsed.TotalSeconds:0} s of the mix ({warmUp.Updates:#,0} updates) until the JIT settled: {warmUp.LastSliceMethods:#,0} methods compiled in the last {warmUpSlice.TotalSeconds:0} s, {System.Runtime.JitInfo.GetCompiledMethodCount():#,0} in all"));
        var before = await meter.TakeAsync();
        var mix = await driver.RunMixAsync(TimeSpan.FromSeconds(options.Seconds));
        var after = await meter.TakeAsync();
        Console.WriteLine(Inv($"mix: {mix.Count:#,0} updates in {mix.Elapsed.TotalSeconds:0.0} s = {mix.PerSecond:#,0} updates/s, p50 {mix.P50:0.00} ms, p99 {mix.P99:0.00} ms, p99.9 {mix.P999:0.00} ms · load average {LoadAverage()}"));
        foreach (var (command, stats) in mix.ByCommand.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(Inv($"  {command,-10} n={stats.Count,7:#,0}  p50 {stats.P50,6:0.00} ms  p99 {stats.P99,6:0.00} ms  outcomes: {stats.Outcomes}"));
        }

        Console.WriteLine("  " + ResourceMeter.Describe(before, after, mix.Elapsed, mix.Count));

        before = await meter.TakeAsync();
        var orders = await driver.RunOrdersAsync(TimeSpan.FromSeconds(options.Seconds));
        after = await meter.TakeAsync();
        Console.WriteLine(Inv($"orders: {orders.Opened:#,0} DRY opens of {orders.Count:#,0} orders in {orders.Elapsed.TotalSeconds:0.0} s = {orders.OpensPerSecond:#,0} opens/s, p50 {orders.P50:0.00} ms, p99 {orders.P99:0.00} ms · outcomes: {string.Join("; ", orders.ByCommand.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value.Outcomes}"))} · load average {LoadAverage()}"));

        Console.WriteLine("  " + ResourceMeter.Describe(before, after, orders.Elapsed, orders.Count));

        // Every user has registered, deposited and traded; the host still holds its caches, pools and queues.
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingSetMb = process.WorkingSet64 / 1048576.0;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heapMb = GC.GetTotalMemory(forceFullCollection: false) / 1048576.0;
        process.Refresh();
        Console.WriteLine(Inv($"memory with {options.Users:#,0} users active: working set {workingSetMb:0} MB at the end of the load, {process.WorkingSet64 / 1048576.0:0} MB after a full GC; GC heap {heapMb:0} MB live; process peak working set {process.PeakWorkingSet64 / 1048576.0:0} MB"));
        return new ScenarioResult(name, mix, orders, workingSetMb, heapMb);
    }
    finally
    {
        await app.StopAsync();
        await app.DisposeAsync();
        GC.Collect();
    }
}

async Task ExecuteAdminAsync(NpgsqlConnectionStringBuilder admin, string sql)
{
    await using var connection = new NpgsqlConnection(admin.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

async Task<double> RunPgbenchAsync(NpgsqlConnectionStringBuilder admin)
{
    // Scale = clients, so the TPC-B-like script's branch rows do not serialise the clients on one row lock.
    var database = $"pgbench_load_{DateTimeOffset.UtcNow:yyyyMMddHHmmss}";
    await ExecuteAdminAsync(admin, $"CREATE DATABASE {database}");
    try
    {
        string[] connection = ["-h", admin.Host!, "-p", admin.Port.ToString(CultureInfo.InvariantCulture), "-U", admin.Username!];
        var clients = options.Clients.ToString(CultureInfo.InvariantCulture);
        RunTool(Path.Combine(options.PgBin, "pgbench"), [.. connection, "-i", "-q", "-s", clients, database], admin.Password);
        var output = RunTool(Path.Combine(options.PgBin, "pgbench"), [.. connection, "-c", clients, "-j", "2", "-T", options.Seconds.ToString(CultureInfo.InvariantCulture), "-r", database], admin.Password);
        var tpsLine = output.Split('\n').First(l => l.StartsWith("tps = ", StringComparison.Ordinal));
        var latencyLine = output.Split('\n').FirstOrDefault(l => l.StartsWith("latency average", StringComparison.Ordinal)) ?? "";
        var tps = double.Parse(tpsLine.Split(' ')[2], CultureInfo.InvariantCulture);
        Console.WriteLine(Inv($"pgbench (TPC-B-like, -s {clients} -c {clients} -j 2 -T {options.Seconds}): {tps:#,0} TPS, {latencyLine.Trim()}"));
        return tps;
    }
    finally
    {
        await ExecuteAdminAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }
}

double RunRedisBenchmark(string endpoint)
{
    var (host, port) = (endpoint.Split(':')[0], endpoint.Split(':')[1]);
    var output = RunTool("redis-benchmark", ["-h", host, "-p", port, "-c", options.Clients.ToString(CultureInfo.InvariantCulture), "-n", "200000", "-t", "incr", "--csv"], null);

    // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    var row = output.Split('\n').First(l => l.StartsWith("\"INCR\"", StringComparison.Ordinal)).Split(',').Select(f => f.Trim('"')).ToArray();
    var rps = double.Parse(row[1], CultureInfo.InvariantCulture);
    Console.WriteLine(Inv($"redis-benchmark INCR (-c {options.Clients} -n 200000): {rps:#,0} rps, p50 {row[4]} ms, p99 {row[6]} ms"));
    return rps;
}

static string RunTool(string file, string[] arguments, string? password)
{
    var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    if (password is not null)
    {
        info.Environment["PGPASSWORD"] = password;
    }

    using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
    var stderr = process.StandardError.ReadToEndAsync();
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {stderr.Result}");
    }

    return output;
}

// Measure the steady state a long-running bot is in, not the first minute after start. On two busy cores the tiered
// JIT keeps recompiling hot methods (tier 0 → instrumented → tier 1) for 40-50 s of load, and its background thread
// took 10-16% of the bot's CPU in a 15 s phase that followed a 2 s warm-up (perf, docs/benchmarks.md run 7). So: run
// the mix in slices until a slice compiles fewer than warmUpQuietMethods methods, at most --warmup seconds.
async Task<(TimeSpan Elapsed, long Updates, long LastSliceMethods)> WarmUpAsync(LoadDriver driver)
{
    var stopwatch = Stopwatch.StartNew();
    long updates = 0, lastSlice;
    do
    {
        var before = System.Runtime.JitInfo.GetCompiledMethodCount();
        updates += (await driver.RunMixAsync(warmUpSlice)).Count;
        lastSlice = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
    }
    while (lastSlice >= warmUpQuietMethods && stopwatch.Elapsed < TimeSpan.FromSeconds(options.WarmUpSeconds));

    return (stopwatch.Elapsed, updates, lastSlice);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

internal sealed record ScenarioResult(string Name, PhaseResult Mix, PhaseResult Orders, double WorkingSetMb, double GcHeapMb);

internal sealed record BenchOptions(int Clients, int Seconds, int Users, string? PgAdmin, string? Redis, string PgBin, string? Only, int? PgPid, int? RedisPid, int WarmUpSeconds)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Get(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(
            Int("--clients", 16),
            Int("--seconds", 15),
            Int("--users", 10_000),
            Get("--pg") ?? Environment.GetEnvironmentVariable("VANTABOT_TEST_PG"),
            Get("--redis") ?? Environment.GetEnvironmentVariable("VANTABOT_TEST_REDIS"),
            Get("--pgbin") ?? "/usr/lib/postgresql/15/bin",
            Get("--only"),
            Get("--pg-pid") is { } pg ? int.Parse(pg, CultureInfo.InvariantCulture) : null,
            Get("--redis-pid") is { } redis ? int.Parse(redis, CultureInfo.InvariantCulture) : null,
            Int("--warmup", 90));
    }
}
