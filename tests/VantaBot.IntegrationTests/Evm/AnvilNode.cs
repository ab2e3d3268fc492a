using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Evm;

/// <summary>
/// An anvil of the test class's own (chain id 31337) on a free loopback port, so a class can switch automine off,
/// drop transactions or kill it without disturbing others. Started from VANTABOT_TEST_ANVIL_BIN (the raw binary;
/// the npm .bin wrapper always exits 0) and killed by its own pid on dispose. The test controls are raw JSON-RPC,
/// independent of the client under test.
/// </summary>
public sealed class AnvilNode : IAsyncDisposable
{
    public const string BinaryVariable = "VANTABOT_TEST_ANVIL_BIN";
    public const long ChainId = 31337;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Process _process;
    private long _nextId;

    private AnvilNode(Process process, int port)
    {
        _process = process;
        Port = port;
        Url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    public int Port { get; }

    public string Url { get; }

    public int ProcessId => _process.Id;

    public static string Binary =>
        Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } path
            ? path
            : throw new InvalidOperationException($"{BinaryVariable} is not set. Start the test peers first: '. tests/peers/start.sh' (or run 'bash .ci/run').");

    public static async Task<AnvilNode> StartAsync(params string[] extraArgs)
    {
        var port = BotProcess.FreePort();
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--chain-id", ChainId.ToString(CultureInfo.InvariantCulture), "--silent", .. extraArgs])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("anvil did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new AnvilNode(process, port);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"anvil exited with {process.ExitCode} before listening on {port}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return node;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(25);
            }
        }
    }

    /// <summary>One raw JSON-RPC call; throws on a JSON-RPC error.</summary>
    public async Task<JsonElement> RpcAsync(string method, params JsonNode?[] parameters)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _nextId),
            ["method"] = method,
            ["params"] = new JsonArray(parameters),
        };
        using var response = await Http.PostAsJsonAsync(Url, request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (document.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"anvil {method}: {error}");
        }

        return document.RootElement.GetProperty("result").Clone();
    }

    /// <summary>
    /// The receipt of <paramref name="hash"/> once it is mined. With automine on, anvil can answer eth_sendTransaction
    /// before the block holding it is queryable (seen under load), so a receipt read right away may be null.
    /// </summary>
    public async Task<JsonElement> ReceiptAsync(string hash)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var receipt = await RpcAsync("eth_getTransactionReceipt", hash);
            if (receipt.ValueKind == JsonValueKind.Object)
            {
                return receipt;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"transaction {hash} was not mined within 30 s");
            }

            await Task.Delay(20);
        }
    }

    public Task SetAutomineAsync(bool on) => RpcAsync("evm_setAutomine", on);

    public Task MineAsync(int blocks = 1) => RpcAsync("anvil_mine", Hex.FromQuantity(blocks));

    public Task DropTransactionAsync(string hash) => RpcAsync("anvil_dropTransaction", hash);

    public async Task<string> SnapshotAsync() => (await RpcAsync("evm_snapshot")).GetString()!;

    public async Task<bool> RevertAsync(string snapshot) => (await RpcAsync("evm_revert", snapshot)).GetBoolean();

    /// <summary>Replaces the last <paramref name="depth"/> blocks with empty ones (anvil_reorg with no transactions).</summary>
    public Task ReorgAsync(int depth) => RpcAsync("anvil_reorg", depth, new JsonArray());

    public Task IncreaseTimeAsync(long seconds) => RpcAsync("evm_increaseTime", Hex.FromQuantity(seconds));

    public async Task<IReadOnlyList<string>> AccountsAsync() =>
        (await RpcAsync("eth_accounts")).EnumerateArray().Select(a => a.GetString()!).ToArray();

    /// <summary>
    /// A transaction signed by anvil for one of its unlocked dev accounts (eth_signTransaction): real raw bytes to
    /// broadcast through the client while our own signer is not in the tree.
    /// </summary>
    public async Task<byte[]> SignTransactionAsync(string from, string to, BigInteger value, BigInteger nonce, byte[]? data = null)
    {
        var tx = new JsonObject
        {
            ["from"] = from,
            ["to"] = to,
            ["value"] = Hex.FromQuantity(value),
            ["nonce"] = Hex.FromQuantity(nonce),
            ["gas"] = Hex.FromQuantity(100_000),
            ["maxFeePerGas"] = Hex.FromQuantity(BigInteger.Parse("20000000000", CultureInfo.InvariantCulture)),
            ["maxPriorityFeePerGas"] = Hex.FromQuantity(1_000_000_000),
            ["chainId"] = Hex.FromQuantity(ChainId),
            ["type"] = "0x2",
        };
        if (data is not null)
        {
            tx["data"] = Hex.FromBytes(data);
        }

        return Hex.ToBytes((await RpcAsync("eth_signTransaction", tx)).GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
