using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Faults;

/// <summary>
/// PostgreSQL, Redis and the Telegram emulator of one fault test's own, started from the installed binaries on
/// loopback ports nobody else uses, so the test can stop and restart them. The shared peers
/// (VANTABOT_TEST_PG / _REDIS / _TELEGRAM_URL) serve hundreds of parallel tests and are never touched here.
/// Every server is stopped by the pid recorded when it started, never by name; dispose removes the data directory.
/// </summary>
public sealed class PrivatePeers : IAsyncDisposable
{
    /// <summary>First of four consecutive ports to use (PostgreSQL, Redis, emulator, spare); unset: free ports.</summary>
    public const string PortBaseVariable = "VANTABOT_FAULT_PORT_BASE";

    private readonly string _dir;
    private readonly string _pgBin;
    private Process? _redis;
    private Process? _emulator;

    private PrivatePeers(string dir, string pgBin, int pgPort, int redisPort, int telegramPort)
    {
        _dir = dir;
        _pgBin = pgBin;
        PostgresPort = pgPort;
        RedisPort = redisPort;
        TelegramPort = telegramPort;
    }

    public int PostgresPort { get; }

    public int RedisPort { get; }

    public int TelegramPort { get; }

    /// <summary>Connection string of the database the bot uses (owner vantabot, like the shared peer).</summary>
    public string PostgresConnection =>
        $"Host=127.0.0.1;Port={PostgresPort.ToString(CultureInfo.InvariantCulture)};Username=vantabot;Password=vantabot;Database=vantabot;Timeout=3;Command Timeout=10";

    public string RedisConnection => $"127.0.0.1:{RedisPort.ToString(CultureInfo.InvariantCulture)}";

    public Uri TelegramUrl => new($"http://127.0.0.1:{TelegramPort.ToString(CultureInfo.InvariantCulture)}");

    public bool PostgresRunning => File.Exists(Path.Combine(DataDir, "postmaster.pid"));

    private string DataDir => Path.Combine(_dir, "pg");

    /// <summary>Creates the cluster and starts all three servers.</summary>
    public static async Task<PrivatePeers> StartAsync(CancellationToken cancellationToken = default)
    {
        var pgBin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); run tests/peers/start.sh once to install it.");
        var ports = PickPorts();
        var dir = Directory.CreateTempSubdirectory("vantabot-faults-").FullName;
        var peers = new PrivatePeers(dir, pgBin, ports[0], ports[1], ports[2]);
        try
        {
            await peers.InitPostgresAsync(cancellationToken);
            await peers.StartPostgresAsync(cancellationToken);
            await peers.CreateRoleAndDatabaseAsync(cancellationToken);
            await peers.StartRedisAsync(cancellationToken);
            await peers.StartTelegramAsync(cancellationToken);
            return peers;
        }
        catch
        {
            await peers.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts (or restarts) PostgreSQL on the same port and data directory; the data survives.</summary>
    public async Task StartPostgresAsync(CancellationToken cancellationToken = default)
    {
        // Durable on purpose: with synchronous_commit=off an immediate stop loses the last commits the bot already
        // acted on (an update claimed, a trade's outbox row written, a reply sent), and the scenario would then blame
        // the bot for the test's own server settings.
        var options = $"-k {_dir} -p {PostgresPort} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200";
        await AsPostgresAsync($"{_pgBin}/pg_ctl -D {DataDir} -l {_dir}/server.log -w -t 30 -o '{options}' start", cancellationToken);
        await WaitForPortAsync(PostgresPort, cancellationToken);
    }

    /// <summary>
    /// Stops PostgreSQL as a crash would (<c>pg_ctl stop -m immediate</c>): every connection is cut, no checkpoint;
    /// the next start replays the WAL.
    /// </summary>
    public Task StopPostgresAsync(CancellationToken cancellationToken = default) =>
        AsPostgresAsync($"{_pgBin}/pg_ctl -D {DataDir} -w -t 30 stop -m immediate", cancellationToken);

    /// <summary>Starts (or restarts) redis-server on the same port, empty (no persistence).</summary>
    public async Task StartRedisAsync(CancellationToken cancellationToken = default)
    {
        _redis = Spawn("redis-server", ["--port", RedisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir]);
        await WaitForPortAsync(RedisPort, cancellationToken);
    }

    public Task StopRedisAsync() => StopAsync(_redis);

    /// <summary>Starts (or restarts) the emulator on the same port. Its state is in memory: a restart forgets every message.</summary>
    public async Task StartTelegramAsync(CancellationToken cancellationToken = default)
    {
        _emulator = Spawn("node", [EmulatorScript(), TelegramPort.ToString(CultureInfo.InvariantCulture), "600"]);
        await WaitForPortAsync(TelegramPort, cancellationToken);
    }

    public Task StopTelegramAsync() => StopAsync(_emulator);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_emulator);
        await StopAsync(_redis);
        if (PostgresRunning)
        {
            try
            {
                await StopPostgresAsync();
            }
            catch (InvalidOperationException)
            {
                // Already stopped (the pid file outlived a crash); nothing to clean up but the directory.
            }
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A log file still being closed; the temp directory is reclaimed by the OS eventually.
        }
    }

    private static int[] PickPorts()
    {
        if (Environment.GetEnvironmentVariable(PortBaseVariable) is { Length: > 0 } text && int.TryParse(text, CultureInfo.InvariantCulture, out var first))
        {
            return [first, first + 1, first + 2];
        }

        return [BotProcess.FreePort(), BotProcess.FreePort(), BotProcess.FreePort()];
    }

    private async Task InitPostgresAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDir);
        // initdb and pg_ctl refuse root and run as postgres, which must own the data directory (and its socket directory).
        await RunAsync("chown", ["postgres:postgres", DataDir, _dir], cancellationToken);
        await AsPostgresAsync($"{_pgBin}/initdb -D {DataDir} -U postgres --auth-local=trust --auth-host=trust -E UTF8 --locale=C.UTF-8", cancellationToken);
    }

    private async Task CreateRoleAndDatabaseAsync(CancellationToken cancellationToken)
    {
        var admin = $"Host=127.0.0.1;Port={PostgresPort.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres;Pooling=false";
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken);
        // One statement per command: CREATE DATABASE refuses to run inside a multi-statement batch.
        foreach (var sql in new[] { "CREATE USER vantabot WITH PASSWORD 'vantabot' CREATEDB", "CREATE DATABASE vantabot OWNER vantabot" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static Task AsPostgresAsync(string commandLine, CancellationToken cancellationToken) =>
        Environment.UserName == "postgres"
            ? RunAsync("bash", ["-c", commandLine], cancellationToken)
            : RunAsync("su", ["postgres", "-c", commandLine], cancellationToken);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        }
    }

    private static Process Spawn(string file, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        // Drain the pipes so a chatty server never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task StopAsync(Process? process)
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static async Task WaitForPortAsync(int port, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    private static string EmulatorScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "tests", "peers", "telegram-emulator.js");
            if (File.Exists(script) && Directory.Exists(Path.Combine(dir.FullName, "tests", "peers", "node_modules", "telegram-test-api")))
            {
                return script;
            }
        }

        throw new InvalidOperationException("tests/peers/telegram-emulator.js with its node_modules was not found: run 'npm ci' in tests/peers.");
    }
}
