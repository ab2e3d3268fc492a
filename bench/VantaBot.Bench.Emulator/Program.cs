using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VantaBot.Bench.Emulator;
using VantaBot.Bench.Load;
using VantaBot.Bench.Shared;

// Simulated users chatting with the real bot host through the telegram-test-api emulator: the polling transport,
// the update pipeline, the outbound queue and its rate-limited sender are all in the path. Per backend (SQLite with
// in-process limits; PostgreSQL + Redis in a fresh database), then the emulator's own ceiling: the same users against
// a bot that only echoes. Usage:
//   dotnet run -c Release --project bench/VantaBot.Bench.Emulator -- [--telegram http://127.0.0.1:9000]
//       [--pg "<admin conn>"] [--redis host:port] [--clients 16] [--seconds 15] [--users 500] [--only sqlite|postgres]
//       [--user-poll-ms 250] [--bot-idle-ms 10] [--reply-timeout 30] [--telegram-limits lifted|real]
//       [--pg-pid <postmaster pid>] [--redis-pid <pid>] [--telegram-pid <emulator node pid>]   (CPU per phase, /proc)
var options = BenchOptions.Parse(args);

// With a token the bot logs to stdout (the Console transport logs to stderr because it owns stdout): keep stdout for
// this report and send everything else written to the console, the bot's JSON logs included, to stderr.
var report = Console.Out;
Console.SetOut(Console.Error);
report.WriteLine($"# {DateTimeOffset.UtcNow:u} · {Environment.ProcessorCount} logical CPUs · {System.Runtime.InteropServices.RuntimeInformation.OSDescription} · .NET {Environment.Version}");
report.WriteLine(Inv($"# emulator {options.Telegram} · clients {options.Clients}, {options.Seconds} s per phase, {options.Users:#,0} users · users read their chat when the bot's send is signalled, else every {options.UserPoll.TotalMilliseconds:0} ms; bot polls every {options.BotIdle.TotalMilliseconds:0} ms when idle · Telegram send limits {options.Limits} · load average at start: {LoadAverage()}"));

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { Timeout = TimeSpan.FromSeconds(30) };
using var handlerLatency = new HandlerLatencyListener();
var rows = new List<Row>();

if (options.Only is null or "sqlite")
{
    var file = Path.Combine(Path.GetTempPath(), $"vantabot-emuload-{Guid.NewGuid():N}.db");
    rows.Add(await RunScenarioAsync("SQLite, in-process limits", null, new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Main"] = $"Data Source={file}",
    }));
    foreach (var leftover in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
    {
        File.Delete(leftover);
    }
}

if (options.Only is null or "postgres")
{
    var admin = new NpgsqlConnectionStringBuilder(options.PgAdmin ?? throw new ArgumentException("--pg <admin connection string> is required for the postgres scenario"));
    var database = $"vantabot_emuload_{DateTimeOffset.UtcNow:yyyyMMddHHmmss}";
    await ExecuteAdminAsync(admin, $"CREATE DATABASE {database}");
    var bot = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database };
    try
    {
        rows.Add(await RunScenarioAsync("PostgreSQL + Redis", bot.ConnectionString, new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Main"] = bot.ConnectionString,
            ["Redis:Connection"] = options.Redis ?? throw new ArgumentException("--redis host:port is required for the postgres scenario"),
            // A fresh prefix: a previous run's counters must not refuse this run's users.
            ["Limits:KeyPrefix"] = $"emuload:{Guid.NewGuid():N}",
        }));
    }
    finally
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }
}

report.WriteLine();
report.WriteLine("| scenario | updates/s | end-to-end p50 / p99 ms | handler p50 / p99 ms | bot busy | emulator ceiling round trips/s | ceiling p50 / p99 ms | bot ÷ ceiling | unanswered / not ok | strays |");
report.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
foreach (var r in rows)
{
    report.WriteLine(Inv($"| {r.Name} | {r.Mix.PerSecond:#,0} | {r.Mix.P50:0.0} / {r.Mix.P99:0.0} | {r.Handler.P50:0.00} / {r.Handler.P99:0.00} | {r.BusyShare:0%} | {r.Ceiling.PerSecond:#,0} | {r.Ceiling.P50:0.0} / {r.Ceiling.P99:0.0} | {r.Mix.PerSecond / r.Ceiling.PerSecond:0.00}× | {r.Mix.NotOk} | {r.Strays} |"));
}

report.WriteLine($"# load average at end: {LoadAverage()}");
return;

async Task<Row> RunScenarioAsync(string name, string? botDatabase, Dictionary<string, string?> settings)
{
    report.WriteLine($"## {name}");
    var wait = new ReplyWait(options.UserPoll, options.ReplyTimeout);
    var meter = new ResourceMeter(options.PgPid, options.RedisPid, botDatabase, options.TelegramPid);

    // A fresh token per bot: the emulator keeps every message for its store timeout, and an earlier phase's must
    // never reach this one's users.
    var chat = new EmulatorChat(http, options.Telegram, NewBotToken());
    foreach (var (key, value) in BotSettings(chat.BotToken))
    {
        settings[key] = value;
    }

    // The bot's own Bot API client tells each user when their reply was accepted by the emulator (see ChatSignals).
    var signals = new ChatSignals();
    var app = await HeadlessBot.StartAsync(settings, services => services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new SendWatcher(signals))));
    PhaseResult mix;
    PhaseResult handler;
    double busyShare;
    int strays;
    try
    {
        var driver = new EmulatorLoadDriver(chat, signals, options.Clients, options.Users, wait);

        // The bot introduces itself (setMyCommands, which the emulator refuses and the bot survives) before its
        // first getUpdates: wait for that with a user outside the measured ones.
        var probe = await driver.SayAsync(options.Users, "price", "/price ETH", new PhaseRecorder(), CancellationToken.None);
        report.WriteLine($"first reply through the emulator: {(probe is null ? "none within the reply timeout" : "\"" + FirstLine(probe) + "\"")}");

        var seed = await driver.SeedAsync(CancellationToken.None);
        report.WriteLine(Inv($"seed: {options.Users:#,0} users × first-contact /deposit in {seed.Elapsed.TotalSeconds:0.0} s = {seed.PerSecond:#,0} updates/s, end to end p50 {seed.P50:0.0} ms, p99 {seed.P99:0.0} ms, not ok {seed.NotOk}"));

        await driver.RunMixAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
        var strayBefore = driver.Strays;
        var handlerRecorder = new PhaseRecorder();
        var before = await meter.TakeAsync();
        handlerLatency.Record(handlerRecorder);
        mix = await driver.RunMixAsync(TimeSpan.FromSeconds(options.Seconds), CancellationToken.None);
        handlerLatency.Record(null);
        var after = await meter.TakeAsync();
        handler = handlerRecorder.Finish(mix.Elapsed);
        busyShare = handlerLatency.TakeBusySeconds() / mix.Elapsed.TotalSeconds;
        strays = driver.Strays - strayBefore;

        report.WriteLine(Inv($"mix: {mix.Count:#,0} updates in {mix.Elapsed.TotalSeconds:0.0} s = {mix.PerSecond:#,0} updates/s, end to end p50 {mix.P50:0.0} ms, p99 {mix.P99:0.0} ms, p99.9 {mix.P999:0.0} ms · handler p50 {handler.P50:0.00} ms, p99 {handler.P99:0.00} ms ({handler.Count:#,0} handled) · the one polling loop spent {busyShare:0%} of the phase in handlers · strays {strays} · load average {LoadAverage()}"));
        foreach (var (command, stats) in mix.ByCommand.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var own = handler.ByCommand.TryGetValue(command, out var h) ? Inv($"handler p50 {h.P50,6:0.00} ms  p99 {h.P99,6:0.00} ms") : "handler n/a";
            report.WriteLine(Inv($"  {command,-10} n={stats.Count,6:#,0}  end to end p50 {stats.P50,6:0.0} ms  p99 {stats.P99,7:0.0} ms  {own}  outcomes: {stats.Outcomes}"));
        }

        report.WriteLine("  " + ResourceMeter.Describe(before, after, mix.Elapsed, Math.Max(1, mix.Count)));
        report.WriteLine(Inv($"  the bot's sendMessage calls seen by the users' nudge: {signals.Signalled:#,0}"));
    }
    finally
    {
        handlerLatency.Record(null);
        await app.StopAsync();
        await app.DisposeAsync();
    }

    var ceiling = await RunCeilingAsync(wait);
    return new Row(name, mix, handler, busyShare, strays, ceiling);
}

async Task<PhaseResult> RunCeilingAsync(ReplyWait wait)
{
    // After the bot host stopped, so the echo gets the machine the bot had; same clients, users and commands.
    var chat = new EmulatorChat(http, options.Telegram, NewBotToken());
    var signals = new ChatSignals();
    var echo = new EchoBot(http, options.Telegram, chat.BotToken, options.BotIdle, signals);
    using var stop = new CancellationTokenSource();
    var echoing = echo.RunAsync(stop.Token);
    try
    {
        var driver = new EmulatorLoadDriver(chat, signals, options.Clients, options.Users, wait);
        await driver.RunMixAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
        var meter = new ResourceMeter(null, null, null, options.TelegramPid);
        var before = await meter.TakeAsync();
        var ceiling = await driver.RunMixAsync(TimeSpan.FromSeconds(options.Seconds), CancellationToken.None);
        var after = await meter.TakeAsync();
        report.WriteLine(Inv($"emulator ceiling (echo bot, same users and commands): {ceiling.Count:#,0} round trips in {ceiling.Elapsed.TotalSeconds:0.0} s = {ceiling.PerSecond:#,0}/s, p50 {ceiling.P50:0.0} ms, p99 {ceiling.P99:0.0} ms, unanswered {ceiling.NotOk} · load average {LoadAverage()}"));
        report.WriteLine("  " + ResourceMeter.Describe(before, after, ceiling.Elapsed, Math.Max(1, ceiling.Count)));
        return ceiling;
    }
    finally
    {
        await stop.CancelAsync();
        await echoing;
    }
}

Dictionary<string, string?> BotSettings(string token)
{
    var settings = new Dictionary<string, string?>
    {
        ["Telegram:BotToken"] = token,
        ["Telegram:ApiBaseUrl"] = options.Telegram.ToString(),
        ["Telegram:Transport"] = "Polling",
        // The emulator answers getUpdates at once (no long poll): the idle pause stands in for it.
        ["Telegram:PollingTimeoutSeconds"] = "0",
        ["Telegram:PollingIdleDelay"] = options.BotIdle.ToString("c", CultureInfo.InvariantCulture),
        ["Telegram:RequestTimeout"] = "00:00:10",
        ["Telegram:MaxRetries"] = "2",
    };
    if (options.Limits == TelegramLimits.Lifted)
    {
        // Telegram's 30 sends/s would cap every figure at 30 updates/s; lifted, the queue and sender stay in the
        // path but pace far above the load.
        settings["Outbound:GlobalPerSecond"] = "1000";
        settings["Outbound:PerChatInterval"] = "00:00:00";
    }

    return settings;
}

async Task ExecuteAdminAsync(NpgsqlConnectionStringBuilder admin, string sql)
{
    await using var connection = new NpgsqlConnection(admin.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

static string NewBotToken() => "12345:" + Guid.NewGuid().ToString("N");

static string FirstLine(string text) => text.Split('\n')[0];

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

internal sealed record Row(string Name, PhaseResult Mix, PhaseResult Handler, double BusyShare, int Strays, PhaseResult Ceiling);
