using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VantaBot.Bot.Copy;
using VantaBot.Bot.Evm;
using VantaBot.Infrastructure.Evm.Copy;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Swaps;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.IntegrationTests.Evm;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Copy;

/// <summary>
/// One bot instance's leader watcher, wired by the production registrations (<c>AddEvm</c>, <c>AddEvmSwaps</c>,
/// <c>AddCopyWatcher</c>) over a real database and the anvil of a <see cref="UniswapDeployment"/>. The hosted poller is
/// not started: tests call <see cref="PollAsync"/> themselves, so nothing depends on timing. Several harnesses over one
/// database are several instances (or one instance before and after a restart).
/// </summary>
public sealed class LeaderWatchHarness : IAsyncDisposable
{
    public const string Chain = "anvil";

    private readonly ServiceProvider _provider;

    private LeaderWatchHarness(ServiceProvider provider, CapturingLoggerProvider logs)
    {
        _provider = provider;
        Logs = logs;
    }

    public CapturingLoggerProvider Logs { get; }

    public EvmLeaderWatcher Watcher => _provider.GetRequiredService<EvmLeaderWatchers>().Find(Chain)!;

    public static LeaderWatchHarness Start(
        TestDatabase database,
        UniswapDeployment market,
        int confirmations = 2,
        int maxReorgDepth = 256,
        int batchBlocks = 500,
        IDictionary<string, string?>? extraSettings = null)
    {
        var addresses = market.Addresses;
        var settings = new Dictionary<string, string?>
        {
            [$"Chains:{Chain}:ChainId"] = AnvilNode.ChainId.ToString(CultureInfo.InvariantCulture),
            [$"Chains:{Chain}:RpcUrls:0"] = market.Node.Url,
            [$"Chains:{Chain}:Confirmations"] = confirmations.ToString(CultureInfo.InvariantCulture),
            [$"Chains:{Chain}:Routers:UniswapV2Router"] = addresses.V2Router.ToString(),
            [$"Chains:{Chain}:Routers:UniswapV3Router"] = addresses.V3SwapRouter.ToString(),
            [$"Chains:{Chain}:Routers:UniswapV3Quoter"] = addresses.V3QuoterV2.ToString(),
            [$"Chains:{Chain}:Tokens:TKA:Address"] = addresses.TokenA.ToString(),
            [$"Chains:{Chain}:Tokens:TKB:Address"] = addresses.TokenB.ToString(),
            [$"Chains:{Chain}:Tokens:WETH:Address"] = addresses.Weth.ToString(),
            [$"Chains:{Chain}:Tokens:WETH:PriceSymbol"] = "ETH",
            ["Copy:WatchMaxReorgDepth"] = maxReorgDepth.ToString(CultureInfo.InvariantCulture),
            ["Copy:WatchBatchBlocks"] = batchBlocks.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddDbContext<VantaBotDbContext>(builder => PersistenceRegistration.Configure(builder, database.Options));
        services.AddScoped<IFollowStore, FollowStore>();
        services.AddScoped<ILeaderTradeInbox, LeaderTradeInbox>();
        var readiness = new DatabaseReadiness();
        readiness.MarkReady(); // the test migrated the database already
        services.AddSingleton(readiness);
        services.AddEvm(config);
        services.AddEvmSwaps(config);
        services.AddCopyWatcher(config);
        return new LeaderWatchHarness(services.BuildServiceProvider(validateScopes: true), logs);
    }

    /// <summary>The hosted poller (<c>LeaderWatchService</c>), not started unless a test starts it.</summary>
    public IHostedService Poller => _provider.GetServices<IHostedService>().OfType<VantaBot.Bot.Copy.Watching.LeaderWatchService>().Single();

    public Task<LeaderWatchPoll> PollAsync() => Watcher.PollAsync(CancellationToken.None);

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}

/// <summary>The chain side of the tests: anvil's unlocked dev accounts as leaders, swapping on the deployed market.</summary>
public sealed class LeaderChain(UniswapDeployment market)
{
    private static readonly VantaBot.Infrastructure.Evm.Abi.AbiFunction TransferCall = VantaBot.Infrastructure.Evm.Abi.AbiFunction.Parse("transfer(address to, uint256 amount) returns (bool)");
    private static readonly VantaBot.Infrastructure.Evm.Abi.AbiFunction PairSwap = VantaBot.Infrastructure.Evm.Abi.AbiFunction.Parse("swap(uint256 amount0Out, uint256 amount1Out, address to, bytes data)");

    public AnvilNode Node => market.Node;

    public UniswapAddresses Market => market.Addresses;

    /// <summary>Dev account <paramref name="index"/> (unlocked in anvil), given TKA and allowances on both routers.</summary>
    public async Task<EvmAddress> FundedAccountAsync(int index)
    {
        var account = EvmAddress.Parse((await Node.AccountsAsync())[index]);
        await SendAsync(Market.Deployer, Market.TokenA, TransferCall.EncodeCall(account, Wei(1_000m)));
        await SendAsync(account, Market.TokenA, UniswapContracts.ApproveCall(Market.V2Router, Wei(1_000m)));
        await SendAsync(account, Market.TokenA, UniswapContracts.ApproveCall(Market.V3SwapRouter, Wei(1_000m)));
        return account;
    }

    /// <summary>A V2 <c>swapExactTokensForTokens</c> TKA → TKB; returns the hash and what arrived (read from balances, not from the logs).</summary>
    public async Task<SentSwap> SwapV2Async(EvmAddress from, decimal amountIn)
    {
        var data = UniswapContracts.V2SwapCall(Wei(amountIn), 0, Market.TokenA, Market.TokenB, from, await DeadlineAsync());
        return await SwapAsync(from, Market.V2Router, data, amountIn);
    }

    /// <summary>A V3 <c>exactInputSingle</c> TKA → TKB at the pool's fee.</summary>
    public async Task<SentSwap> SwapV3Async(EvmAddress from, decimal amountIn)
    {
        var data = UniswapContracts.V3SwapCall(Market.TokenA, Market.TokenB, Market.V3Fee, from, await DeadlineAsync(), Wei(amountIn), 0);
        return await SwapAsync(from, Market.V3SwapRouter, data, amountIn);
    }

    /// <summary>
    /// anvil_reorg: replaces the last <paramref name="depth"/> blocks with as many new ones, the first holding a swap of
    /// <paramref name="amountIn"/> TKA by <paramref name="from"/> (V2 or V3); returns that swap's hash and block.
    /// </summary>
    public async Task<(string Hash, long Block)> ReorgWithSwapAsync(int depth, EvmAddress from, decimal amountIn, bool v3)
    {
        var deadline = await DeadlineAsync();
        var (router, data) = v3
            ? (Market.V3SwapRouter, UniswapContracts.V3SwapCall(Market.TokenA, Market.TokenB, Market.V3Fee, from, deadline, Wei(amountIn), 0))
            : (Market.V2Router, UniswapContracts.V2SwapCall(Wei(amountIn), 0, Market.TokenA, Market.TokenB, from, deadline));
        var request = new JsonObject { ["from"] = from.ToString(), ["to"] = router.ToString(), ["data"] = Hex.FromBytes(data), ["gas"] = Hex.FromQuantity(1_000_000) };
        var block = await HeadAsync() - depth + 1;
        await Node.RpcAsync("anvil_reorg", depth, new JsonArray(new JsonArray(request, 0)));
        var transactions = (await Node.RpcAsync("eth_getBlockByNumber", Hex.FromQuantity(block), false)).GetProperty("transactions");
        var hash = transactions.EnumerateArray().Single().GetString()!;
        (await Node.ReceiptAsync(hash)).GetProperty("status").GetString().ShouldBe("0x1", "the swap anvil_reorg put in the new block");
        return (hash, block);
    }

    /// <summary>A swap on the V2 pair itself, no router: pay TKA in, then take a little TKB out (the pair only checks its invariant).</summary>
    public async Task<IReadOnlyList<string>> SwapOnPairAsync(EvmAddress from, decimal amountIn, decimal amountOut)
    {
        var pay = await SendAsync(from, Market.TokenA, TransferCall.EncodeCall(Market.V2PairAB, Wei(amountIn)));
        var tokenAIsToken0 = string.CompareOrdinal(Market.TokenA.LowerHex, Market.TokenB.LowerHex) < 0;
        var take = await SendAsync(
            from,
            Market.V2PairAB,
            PairSwap.EncodeCall(tokenAIsToken0 ? BigInteger.Zero : Wei(amountOut), tokenAIsToken0 ? Wei(amountOut) : BigInteger.Zero, from, Array.Empty<byte>()));
        return [pay, take];
    }

    public async Task<BigInteger> BalanceAsync(EvmAddress token, EvmAddress owner) =>
        (BigInteger)UniswapContracts.BalanceOf.DecodeOutput(Hex.ToBytes((await Node.RpcAsync(
            "eth_call", new JsonObject { ["to"] = token.ToString(), ["data"] = Hex.FromBytes(UniswapContracts.BalanceOf.EncodeCall(owner)) }, "latest")).GetString()!))[0]!;

    public async Task<long> HeadAsync() => (long)Hex.ToQuantity((await Node.RpcAsync("eth_blockNumber")).GetString()!);

    public async Task<DateTimeOffset> BlockTimeAsync(long block) =>
        DateTimeOffset.FromUnixTimeSeconds((long)Hex.ToQuantity((await Node.RpcAsync("eth_getBlockByNumber", Hex.FromQuantity(block), false)).GetProperty("timestamp").GetString()!));

    public static BigInteger Wei(decimal amount) => new(amount * 1_000_000_000_000_000_000m);

    public static decimal Units(BigInteger raw) => new VantaBot.Trading.Swaps.TokenAmount(raw, 18).ToDecimal();

    private async Task<SentSwap> SwapAsync(EvmAddress from, EvmAddress router, byte[] data, decimal amountIn)
    {
        var before = await BalanceAsync(Market.TokenB, from);
        var hash = await SendAsync(from, router, data);
        var receipt = await Node.ReceiptAsync(hash);
        var after = await BalanceAsync(Market.TokenB, from);
        return new SentSwap(hash, (long)Hex.ToQuantity(receipt.GetProperty("blockNumber").GetString()!), amountIn, Units(after - before));
    }

    /// <summary>A transaction from an unlocked account, waited for and required to succeed.</summary>
    private async Task<string> SendAsync(EvmAddress from, EvmAddress to, byte[] data)
    {
        var hash = (await Node.RpcAsync(
            "eth_sendTransaction",
            new JsonObject { ["from"] = from.ToString(), ["to"] = to.ToString(), ["data"] = Hex.FromBytes(data), ["gas"] = Hex.FromQuantity(1_000_000) })).GetString()!;
        (await Node.ReceiptAsync(hash)).GetProperty("status").GetString().ShouldBe("0x1", $"transaction from {from} to {to}");
        return hash;
    }

    private async Task<BigInteger> DeadlineAsync() =>
        Hex.ToQuantity((await Node.RpcAsync("eth_getBlockByNumber", "latest", false)).GetProperty("timestamp").GetString()!) + 3600;
}

public sealed record SentSwap(string Hash, long Block, decimal AmountIn, decimal AmountOut);

/// <summary>Every log line of the harness's services, with its level, so a test can check the reorg warning.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Lines => _lines.ToArray();

    public IEnumerable<string> Warnings => Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Text);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue((logLevel, category, formatter(state, exception)));
    }
}

/// <summary>Database side of the tests: follows and what the inbox holds.</summary>
public static class CopyTables
{
    public static async Task FollowAsync(TestDatabase database, long follower, EvmAddress leader)
    {
        await using var db = database.CreateContext();
        await new FollowStore(db, TimeProvider.System).UpsertAsync(
            new Follow(new UserId(follower), LeaderRef.Evm(leader.ToString()), FollowSettings.Default, DateTimeOffset.UtcNow), default);
    }

    public static async Task<IReadOnlyList<LeaderTrade.Swap>> SwapsAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var rows = await db.Set<LeaderTradeEntity>().AsNoTracking().OrderBy(t => t.Id).ToListAsync();
        return rows.Select(r => (LeaderTrade.Swap)r.ToDomain()).ToList();
    }

    public static async Task<ChainCursor?> CursorAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await new ChainCursorStore(db, TimeProvider.System).FindAsync(LeaderWatchHarness.Chain, default);
    }

    public static async Task SetCursorAsync(TestDatabase database, ChainCursor cursor)
    {
        await using var db = database.CreateContext();
        await new ChainCursorStore(db, TimeProvider.System).SaveAsync(LeaderWatchHarness.Chain, cursor, default);
    }
}

/// <summary>
/// A JSON-RPC endpoint in front of anvil that can be switched to answer HTTP 503 (an RPC provider's outage), so the
/// watcher's node goes away and comes back while the chain itself goes on.
/// </summary>
public sealed class SwitchableRpcProxy : IAsyncDisposable
{
    private static readonly HttpClient Forward = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly System.Net.HttpListener _listener = new();
    private readonly string _target;
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _down;
    private int _refused;

    private SwitchableRpcProxy(string target, int port)
    {
        _target = target;
        Url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/";
        _listener.Prefixes.Add(Url);
    }

    public string Url { get; }

    public int Refused => Volatile.Read(ref _refused);

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public static SwitchableRpcProxy Start(string target)
    {
        var proxy = new SwitchableRpcProxy(target, BotProcess.FreePort());
        proxy._listener.Start();
        _ = proxy.ServeAsync();
        return proxy;
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            System.Net.HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is System.Net.HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(System.Net.HttpListenerContext context)
    {
        try
        {
            if (_down)
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = 503;
                context.Response.Close();
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            using var content = new StringContent(await reader.ReadToEndAsync(), System.Text.Encoding.UTF8, "application/json");
            using var answer = await Forward.PostAsync(_target, content);
            var body = await answer.Content.ReadAsByteArrayAsync();
            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is System.Net.HttpListenerException or HttpRequestException or ObjectDisposedException or IOException)
        {
            // The client went away or the proxy stopped.
        }
    }
}

