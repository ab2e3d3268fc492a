using System.Security.Cryptography;
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

/// <summary>The wallet store and key vault on a real database: idempotent creation and rotation without downtime.</summary>
public abstract class WalletStoreTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly string OldKey = $"old:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}";
    private static readonly string NewKey = $"new:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}";
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Simultaneous_first_wallet_requests_of_one_user_yield_one_wallet()
    {
        var keys = Keys(OldKey);
        var user = new UserId(4242);
        using var start = new ManualResetEventSlim();
        var requests = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            await using var db = _database.CreateContext();
            return await Directory(db, keys).GetOrCreateAsync(user, ChainFamily.Evm, default);
        })).ToArray();
        start.Set();
        var wallets = await Task.WhenAll(requests);

        wallets.Select(w => w.Id).Distinct().ShouldHaveSingleItem();
        wallets.Select(w => w.Address).Distinct().ShouldHaveSingleItem();
        await using var check = _database.CreateContext();
        (await check.Set<WalletEntity>().CountAsync(w => w.UserId == user)).ShouldBe(1);
        (await Directory(check, keys).FindAsync(user, ChainFamily.Evm, default)).ShouldBe(wallets[0]);

        // The stored key is the one behind the address every caller was shown.
        (await Vault(check, keys).WithKeyAsync(wallets[0].Id, k => k.Address.ToString(), default)).ShouldBe(wallets[0].Address);
    }

    [Fact]
    public async Task Rotation_across_many_wallets_while_others_decrypt_never_fails_a_decryption()
    {
        var created = new List<Wallet>();
        await using (var db = _database.CreateContext())
        {
            for (var user = 1; user <= 60; user++)
            {
                created.Add(await Directory(db, Keys(OldKey)).GetOrCreateAsync(new UserId(user), ChainFamily.Evm, default));
            }
        }

        // Every instance now knows both keys, the new one current; the rows are all still under the old one.
        var both = Keys(NewKey, OldKey);
        using var rotationDone = new CancellationTokenSource();
        var failures = 0;
        var decryptions = 0;
        var readers = Enumerable.Range(0, 4).Select(reader => Task.Run(async () =>
        {
            var random = new Random(reader);
            while (!rotationDone.IsCancellationRequested)
            {
                var wallet = created[random.Next(created.Count)];
                await using var db = _database.CreateContext();
                try
                {
                    var address = await Vault(db, both).WithKeyAsync(wallet.Id, k => k.Address.ToString(), default);
                    if (address != wallet.Address)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (WalletKeyUnavailableException)
                {
                    Interlocked.Increment(ref failures);
                }

                Interlocked.Increment(ref decryptions);
            }
        })).ToArray();

        KeyRotationResult result;
        await using (var db = _database.CreateContext())
        {
            // Let the readers get going on old-key rows first.
            while (Volatile.Read(ref decryptions) < 20)
            {
                await Task.Delay(10);
            }

            result = await Vault(db, both, batchSize: 7).RotateAsync(default);
        }

        var duringRotation = Volatile.Read(ref decryptions);
        await rotationDone.CancelAsync();
        await Task.WhenAll(readers);

        result.ShouldBe(new KeyRotationResult("new", Rewrapped: 60, AlreadyCurrent: 0, Conflicts: 0, Failed: 0));
        failures.ShouldBe(0);
        duringRotation.ShouldBeGreaterThan(20);
        await using var check = _database.CreateContext();
        (await check.Set<WalletEntity>().Select(w => w.MasterKeyId).Distinct().ToListAsync()).ShouldBe(["new"]);
        foreach (var wallet in created)
        {
            (await Vault(check, Keys(NewKey)).WithKeyAsync(wallet.Id, k => k.Address.ToString(), default)).ShouldBe(wallet.Address);
        }
    }

    [Fact]
    public async Task Two_rotations_racing_rewrap_each_row_once_and_count_the_other_as_a_conflict()
    {
        await using (var db = _database.CreateContext())
        {
            for (var user = 1; user <= 30; user++)
            {
                await Directory(db, Keys(OldKey)).GetOrCreateAsync(new UserId(user), ChainFamily.Evm, default);
            }
        }

        var both = Keys(NewKey, OldKey);
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await using var db = _database.CreateContext();
            return await Vault(db, both, batchSize: 3).RotateAsync(default);
        })));

        results.Sum(r => r.Rewrapped).ShouldBe(30);
        results.Sum(r => r.Failed).ShouldBe(0);
        await using var check = _database.CreateContext();
        (await check.Set<WalletEntity>().CountAsync(w => w.MasterKeyId == "new")).ShouldBe(30);
    }

    [Fact]
    public async Task Rows_under_a_master_key_nobody_has_are_counted_failed_and_rotation_still_finishes()
    {
        var lost = $"lost:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}";
        await using (var db = _database.CreateContext())
        {
            for (var user = 1; user <= 5; user++)
            {
                await Directory(db, Keys(user % 2 == 0 ? lost : OldKey)).GetOrCreateAsync(new UserId(user), ChainFamily.Evm, default);
            }
        }

        await using var rotation = _database.CreateContext();
        var result = await Vault(rotation, Keys(NewKey, OldKey), batchSize: 1).RotateAsync(default);

        result.ShouldBe(new KeyRotationResult("new", Rewrapped: 3, AlreadyCurrent: 0, Conflicts: 0, Failed: 2));
        await using var check = _database.CreateContext();
        (await check.Set<WalletEntity>().CountAsync(w => w.MasterKeyId == "lost")).ShouldBe(2);
    }

    private static IMasterKeyProvider Keys(params string[] entries) =>
        new EnvironmentMasterKeyProvider(Options.Create(new KeyVaultOptions { EnvironmentVariable = "K" }), _ => string.Join(',', entries));

    private static EnvelopeKeyVault Vault(VantaBotDbContext db, IMasterKeyProvider keys, int batchSize = 50) =>
        new(db, keys, Options.Create(new KeyVaultOptions { RotationBatchSize = batchSize }), TimeProvider.System, NullLogger<EnvelopeKeyVault>.Instance);

    private static WalletDirectory Directory(VantaBotDbContext db, IMasterKeyProvider keys) =>
        new(db, Vault(db, keys), TimeProvider.System, NullLogger<WalletDirectory>.Instance);
}

public sealed class SqliteWalletStoreTests() : WalletStoreTests(DatabaseProvider.Sqlite);

public sealed class PostgresWalletStoreTests() : WalletStoreTests(DatabaseProvider.Postgres);
