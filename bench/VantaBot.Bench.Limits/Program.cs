using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using VantaBot.Infrastructure.Redis;
using VantaBot.Trading.Limits;

// Limiter checks per second and latency percentiles next to redis-benchmark INCR at the same concurrency, against
// the same Redis, in the same run. Usage:
//   dotnet run -c Release --project bench/VantaBot.Bench.Limits -- [host:port] [concurrency] [seconds]
var endpoint = args.Length > 0 ? args[0] : "127.0.0.1:6379";
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
var (host, port) = (endpoint.Split(':')[0], endpoint.Split(':')[1]);

await using var connection = new RedisConnection(endpoint, NullLogger<RedisConnection>.Instance);
var store = new RedisRateLimitStore(connection);
var prefix = $"bench:{Guid.NewGuid():N}";

Console.WriteLine($"# {DateTimeOffset.UtcNow:u} · {Environment.ProcessorCount} logical CPUs · {System.Runtime.InteropServices.RuntimeInformation.OSDescription} · .NET {Environment.Version}");
Console.WriteLine($"# redis {endpoint}, concurrency {concurrency}, {seconds} s per limiter run");

// One charge (the message gate) and three charges in one script (a manual open: opens + trades + volume).
// Limits are high so every check is admitted and writes, the expensive path; one key set per worker as per user.
RateLimitCharge[] Message(int worker) => [new($"{prefix}:{{{worker}}}:messages", 1_000_000_000, TimeSpan.FromMinutes(1), 1)];
RateLimitCharge[] Open(int worker) =>
[
    new($"{prefix}:{{{worker}}}:opens", 1_000_000_000, TimeSpan.FromMinutes(1), 1),
    new($"{prefix}:{{{worker}}}:trades", 1_000_000_000, TimeSpan.FromDays(1), 1),
    new($"{prefix}:{{{worker}}}:volume", 100_000_000_000, TimeSpan.FromHours(1), 25_000),
];

await RunLimiterAsync("warm-up", Message, TimeSpan.FromSeconds(2), print: false);
await RunLimiterAsync("limiter check, 1 key (message gate)", Message, TimeSpan.FromSeconds(seconds), print: true);
await RunLimiterAsync("limiter check, 3 keys (position open)", Open, TimeSpan.FromSeconds(seconds), print: true);
RunRedisBenchmark();

async Task RunLimiterAsync(string name, Func<int, RateLimitCharge[]> charges, TimeSpan duration, bool print)
{
    var latencies = new List<long>[concurrency];
    var stop = Stopwatch.StartNew();
    var refused = 0L;
    var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
    {
        var mine = latencies[worker] = new List<long>(200_000);
        var set = charges(worker);
        while (stop.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            var verdict = await store.AcquireAsync(set, CancellationToken.None);
            mine.Add(Stopwatch.GetTimestamp() - started);
            if (!verdict.Allowed)
            {
                Interlocked.Increment(ref refused);
            }
        }
    })).ToArray();
    await Task.WhenAll(workers);
    var elapsed = stop.Elapsed;
    if (!print)
    {
        return;
    }

    var all = latencies.SelectMany(l => l).Order().ToArray();
    double Ms(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1000.0 / Stopwatch.Frequency;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {all.Length / elapsed.TotalSeconds:#,0} | {Ms(0.50):0.000} | {Ms(0.99):0.000} | {Ms(0.999):0.000} | {all.Length:#,0} checks, {refused} refused |"));
}

void RunRedisBenchmark()
{
    var requests = 200_000;
    var info = new ProcessStartInfo("redis-benchmark", ["-h", host, "-p", port, "-c", concurrency.ToString(CultureInfo.InvariantCulture), "-n", requests.ToString(CultureInfo.InvariantCulture), "-t", "incr", "--csv"])
    {
        RedirectStandardOutput = true,
        UseShellExecute = false,
    };
    using var process = Process.Start(info) ?? throw new InvalidOperationException("redis-benchmark did not start");
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();

    // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    var row = output.Split('\n').First(l => l.StartsWith("\"INCR\"", StringComparison.Ordinal)).Split(',').Select(f => f.Trim('"')).ToArray();
    Console.WriteLine($"| redis-benchmark INCR (-c {concurrency}, -n {requests}) | {double.Parse(row[1], CultureInfo.InvariantCulture):#,0} | {row[4]} | {row[6]} | — | {row[0]} |");
}
