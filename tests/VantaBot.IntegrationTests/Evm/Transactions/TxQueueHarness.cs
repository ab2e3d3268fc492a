using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Evm;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Evm.Transactions;
using VantaBot.Infrastructure.KeyVault;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.EvmTransactions;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;
using Xunit.Abstractions;

namespace VantaBot.IntegrationTests.Evm.Transactions;

/// <summary>
/// One bot instance's transaction queue, wired by the production registration (<see cref="EvmRegistration.AddEvm"/>)
/// over a real database, a real key vault and an anvil. Several harnesses over one database are several instances.
/// </summary>
public sealed class TxQueueHarness : IAsyncDisposable
{
    public const string Chain = "anvil";
    private static readonly string MasterKey = $"k1:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}";

    private readonly ServiceProvider _provider;

    private TxQueueHarness(ServiceProvider provider, AnvilNode node)
    {
        _provider = provider;
        Node = node;
    }

    public AnvilNode Node { get; }

    public EvmTransactionSender Sender => _provider.GetRequiredService<EvmTransactionSender>();

    public EvmTransactionMonitor Monitor => _provider.GetServices<IHostedService>().OfType<EvmTransactionMonitor>().Single();

    public IEvmRpcClient Client => _provider.GetRequiredService<IEvmRpcClients>().Find(Chain)!;

    /// <summary>Records this instance's queue instruments (its own meter factory only, so parallel tests do not mix).</summary>
    public MetricRecorder RecordMetrics() => new(_provider.GetRequiredService<IMeterFactory>());

    public static TxQueueHarness Start(
        TestDatabase database,
        AnvilNode node,
        ITestOutputHelper? output = null,
        IDictionary<string, string?>? chainSettings = null,
        TimeProvider? time = null,
        IEvmTransactionBroadcaster? broadcaster = null,
        Func<IEvmRpcClients, IEvmRpcClients>? wrapClients = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Chains:{Chain}:ChainId"] = AnvilNode.ChainId.ToString(CultureInfo.InvariantCulture),
            [$"Chains:{Chain}:RpcUrls:0"] = node.Url,
            [$"Chains:{Chain}:MonitorInterval"] = "00:00:00.1",
        };
        foreach (var (key, value) in chainSettings ?? new Dictionary<string, string?>())
        {
            settings[$"Chains:{Chain}:{key}"] = value;
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            if (output is not null)
            {
                logging.AddProvider(new TestOutputLoggerProvider(output));
            }
        });
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddMetrics();
        services.AddDbContext<VantaBotDbContext>(builder => PersistenceRegistration.Configure(builder, database.Options));
        var readiness = new DatabaseReadiness();
        readiness.MarkReady(); // the test migrated the database already
        services.AddSingleton(readiness);
        services.AddSingleton<IMasterKeyProvider>(new EnvironmentMasterKeyProvider(Options.Create(new KeyVaultOptions { EnvironmentVariable = "K" }), _ => MasterKey));
        services.AddSingleton(Options.Create(new KeyVaultOptions()));
        services.AddScoped<IKeyVault, EnvelopeKeyVault>();
        services.AddScoped<IWalletDirectory, WalletDirectory>();
        if (broadcaster is not null)
        {
            services.AddSingleton(broadcaster);
        }

        services.AddEvm(config);
        if (wrapClients is not null)
        {
            // Our own port decorated around the real clients (e.g. a node whose receipts lag behind its nonces).
            services.Replace(ServiceDescriptor.Singleton(sp => wrapClients(ActivatorUtilities.CreateInstance<EvmRpcClients>(sp))));
        }

        return new TxQueueHarness(services.BuildServiceProvider(), node);
    }

    /// <summary>A fresh custodial wallet of <paramref name="user"/>, funded with <paramref name="ether"/> ETH on anvil.</summary>
    public async Task<Wallet> FundedWalletAsync(long user, int ether = 100)
    {
        await using var scope = _provider.CreateAsyncScope();
        var wallet = await scope.ServiceProvider.GetRequiredService<IWalletDirectory>().GetOrCreateAsync(new UserId(user), ChainFamily.Evm, default);
        if (ether > 0)
        {
            await Node.RpcAsync("anvil_setBalance", wallet.Address, Hex.FromQuantity(BigInteger.Pow(10, 18) * ether));
        }

        return wallet;
    }

    /// <summary>Signs with the wallet's key outside the queue (another tool spending from the same key).</summary>
    public async Task<SignedTransaction> SignOutsideQueueAsync(Wallet wallet, Eip1559Transaction transaction)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IKeyVault>().WithKeyAsync(wallet.Id, transaction.Sign, default);
    }

    public async Task<StoredEvmTransaction> StoredAsync(Guid id)
    {
        await using var scope = _provider.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<EvmTransactionStore>().FindAsync(id, default))!;
    }

    public static EvmTxRequest Transfer(Wallet wallet, EvmAddress to, BigInteger value, string purpose = "transfer") =>
        new(Chain, wallet.Id, EvmAddress.Parse(wallet.Address), to, [], value, 21_000, purpose, null);

    /// <summary>Polls until <paramref name="condition"/> holds; fails (not times) the test when it never does.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"never happened: {what}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}

internal sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && category.StartsWith("Evm", StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished; a background monitor may still log.
            }
        }
    }
}

public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, long Value, Dictionary<string, string?> Tags)> _measurements = new();

    public MetricRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Name.StartsWith("vantabot.evm.tx.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, string?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value?.ToString();
            }

            _measurements.Enqueue((instrument.Name, value, copy));
        });
        _listener.Start();
    }

    public long Sum(string name, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Name == name && tags.All(t => m.Tags.GetValueOrDefault(t.Key) == t.Value)).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
