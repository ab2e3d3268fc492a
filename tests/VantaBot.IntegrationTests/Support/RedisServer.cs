using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace VantaBot.IntegrationTests.Support;

/// <summary>
/// A redis-server of the test's own on a free loopback port, for tests that stop and restart Redis: the shared
/// peer (<see cref="SharedConnection"/>) is never stopped. Stopped by its own process handle, never by name.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string SharedVariable = "VANTABOT_TEST_REDIS";

    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string Connection => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The shared test Redis started by tests/peers/start.sh.</summary>
    public static string SharedConnection =>
        Environment.GetEnvironmentVariable(SharedVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{SharedVariable} is not set. Start the test peers first: '. tests/peers/start.sh' (or run 'bash .ci/run').");

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(BotProcess.FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts (or restarts) the server on the same port, empty: no persistence, so a restart loses every key and script.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo("redis-server", ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
