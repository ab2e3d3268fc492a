using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.KeyVault;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.UnitTests.Wallets;

/// <summary>The vault over a migrated in-memory SQLite database, with master keys supplied as an environment-style list.</summary>
internal sealed class VaultHarness : IAsyncDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly List<VantaBotDbContext> _contexts = [];

    private VaultHarness()
    {
    }

    public static async Task<VaultHarness> CreateAsync()
    {
        var harness = new VaultHarness();
        await harness._connection.OpenAsync();
        await DatabaseInitializer.MigrateAsync(harness.NewContext(), CancellationToken.None);
        return harness;
    }

    public static string NewKey(string id) => $"{id}:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}";

    public VantaBotDbContext NewContext()
    {
        var builder = new DbContextOptionsBuilder<VantaBotDbContext>().UseSqlite(_connection);
        var db = new VantaBotDbContext(builder.Options);
        _contexts.Add(db);
        return db;
    }

    public static IMasterKeyProvider Keys(params string[] entries) =>
        new EnvironmentMasterKeyProvider(Options.Create(new KeyVaultOptions { Provider = MasterKeyProviderKind.Environment, EnvironmentVariable = "K" }), _ => string.Join(',', entries));

    public EnvelopeKeyVault Vault(IMasterKeyProvider keys, int batchSize = 50) =>
        new(NewContext(), keys, Options.Create(new KeyVaultOptions { RotationBatchSize = batchSize }), TimeProvider.System, NullLogger<EnvelopeKeyVault>.Instance);

    public WalletDirectory Directory(IMasterKeyProvider keys) =>
        new(NewContext(), Vault(keys), TimeProvider.System, NullLogger<WalletDirectory>.Instance);

    public async ValueTask DisposeAsync()
    {
        foreach (var db in _contexts)
        {
            await db.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }
}
