using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.KeyVault;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;

namespace VantaBot.IntegrationTests.Wallets;

/// <summary><c>VantaBot.Bot rotate-keys [--new-key]</c> as an operator runs it, on the embedded default's development key.</summary>
public sealed class RotateKeysVerbTests : IAsyncLifetime
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("vantabot-rotate-").FullName;
    private DatabaseOptions _database = null!;
    private string _keyFile = "";

    public async Task InitializeAsync()
    {
        // A database of its own directory, so the development key lands next to it as in the embedded default
        // (and no other test's key file is touched).
        _database = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(_workDir, "bot.db")}" };
        _keyFile = Path.Combine(_workDir, KeyVaultOptions.DevelopmentKeyFileName);
        await using var db = CreateContext();
        await DatabaseInitializer.MigrateAsync(db, default);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_workDir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task New_key_then_rotation_rewraps_every_wallet_and_they_still_decrypt()
    {
        var (firstCode, first) = await RunAsync();
        firstCode.ShouldBe(0, first);
        first.ShouldContain("0 re-wrapped");
        File.Exists(_keyFile).ShouldBeTrue();
        var firstKeyId = KeyIds().ShouldHaveSingleItem();

        var keys = new FileMasterKeyProvider(Options.Create(new KeyVaultOptions { KeyFile = _keyFile }), TimeProvider.System, NullLogger<FileMasterKeyProvider>.Instance);
        var wallets = new List<Wallet>();
        await using (var db = CreateContext())
        {
            var vault = new EnvelopeKeyVault(db, keys, Options.Create(new KeyVaultOptions()), TimeProvider.System, NullLogger<EnvelopeKeyVault>.Instance);
            var directory = new WalletDirectory(db, vault, TimeProvider.System, NullLogger<WalletDirectory>.Instance);
            for (var user = 1; user <= 3; user++)
            {
                wallets.Add(await directory.GetOrCreateAsync(new UserId(user), ChainFamily.Evm, default));
            }
        }

        var (code, output) = await RunAsync("--new-key");

        code.ShouldBe(0, output);
        var ids = KeyIds();
        ids.Count.ShouldBe(2);
        var newKeyId = ids.Single(id => id != firstKeyId);
        output.ShouldContain($"Added master key {newKeyId} as current");
        output.ShouldContain($"Key rotation: 3 re-wrapped under master key {newKeyId}, 0 already current, 0 changed concurrently, 0 failed.");
        await using var check = CreateContext();
        (await check.Set<WalletEntity>().Select(w => w.MasterKeyId).Distinct().ToListAsync()).ShouldBe([newKeyId]);
        var checkVault = new EnvelopeKeyVault(check, keys, Options.Create(new KeyVaultOptions()), TimeProvider.System, NullLogger<EnvelopeKeyVault>.Instance);
        foreach (var wallet in wallets)
        {
            (await checkVault.WithKeyAsync(wallet.Id, k => k.Address.ToString(), default)).ShouldBe(wallet.Address);
        }
    }

    [Fact]
    public async Task A_bad_master_key_setting_stops_it_with_a_message_naming_the_setting()
    {
        var (code, output) = await RunAsync(extra: new() { ["KeyVault__Provider"] = "Environment", ["KeyVault__EnvironmentVariable"] = "VANTABOT_TEST_SHORT_KEY", ["VANTABOT_TEST_SHORT_KEY"] = "k:" + Convert.ToBase64String(new byte[16]) });

        code.ShouldBe(2);
        output.ShouldContain("Configuration error: KeyVault__EnvironmentVariable: the variable VANTABOT_TEST_SHORT_KEY has key 'k' of 16 bytes; a master key is exactly 32 bytes");
    }

    private VantaBotDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<VantaBotDbContext>();
        PersistenceRegistration.Configure(builder, _database);
        return new VantaBotDbContext(builder.Options);
    }

    private List<string> KeyIds() =>
        JsonDocument.Parse(File.ReadAllText(_keyFile)).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToList();

    private async Task<(int Code, string Output)> RunAsync(string? flag = null, Dictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Main"] = _database.ConnectionString!,
            ["Health__Urls"] = $"http://127.0.0.1:{BotProcess.FreePort()}",
        };
        foreach (var (key, value) in extra ?? [])
        {
            environment[key] = value;
        }

        using var bot = BotProcess.Start(environment, _workDir, flag is null ? ["rotate-keys"] : ["rotate-keys", flag]);
        bot.Input.Close();
        var code = await bot.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, bot.StandardOutput + bot.StandardError);
    }
}
