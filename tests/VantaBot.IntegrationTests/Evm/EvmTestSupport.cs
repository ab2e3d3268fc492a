using System.Numerics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;

namespace VantaBot.IntegrationTests.Evm;

/// <summary>A class fixture holding a bare anvil (no contracts) of the class's own.</summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    public AnvilNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await AnvilNode.StartAsync();

    public async Task DisposeAsync()
    {
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }
    }
}

internal static class EvmTestSupport
{
    public static readonly IHttpClientFactory Http = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();

    public static ChainOptions Options(params string[] urls) => new()
    {
        ChainId = AnvilNode.ChainId,
        RpcUrls = [.. urls],
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    public static EvmRpcClient Client(ChainOptions options, ILogger<EvmRpcClient>? logger = null, string chain = "anvil") =>
        new(chain, options, Http, TimeProvider.System, logger ?? new ListLogger<EvmRpcClient>());

    /// <summary>A 32-byte ABI word: hand-built call data until the ABI encoder lands.</summary>
    public static byte[] Word(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var word = new byte[32];
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }

    public static byte[] Word(EvmAddress address) => [.. new byte[12], .. address.ToBytes()];

    public static byte[] Call(string selectorHex, params byte[][] words) => [.. Hex.ToBytes(selectorHex), .. words.SelectMany(w => w)];

    public static BigInteger ReadWord(byte[] data, int index) =>
        new(data.AsSpan(index * 32, 32), isUnsigned: true, isBigEndian: true);
}

/// <summary>Keeps every formatted log line, so tests can check what endpoint failures write (and what they never write).</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
