using Microsoft.EntityFrameworkCore;
using Shouldly;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.KeyVault;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;
using Xunit;

namespace VantaBot.UnitTests.Wallets;

public sealed class KeyVaultTests : IAsyncLifetime
{
    private static readonly string K1 = VaultHarness.NewKey("k1");
    private static readonly string K2 = VaultHarness.NewKey("k2");
    private VaultHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await VaultHarness.CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_created_wallet_decrypts_to_the_key_of_its_address_and_the_row_holds_no_plain_key()
    {
        var keys = VaultHarness.Keys(K1);
        var wallet = await _harness.Directory(keys).GetOrCreateAsync(new UserId(1), ChainFamily.Evm, default);

        var (address, secret) = await _harness.Vault(keys).WithKeyAsync(wallet.Id, k => (k.Address.ToString(), k.ExportSecret()), default);

        address.ShouldBe(wallet.Address);
        EvmAddress.Parse(wallet.Address).ToString().ShouldBe(wallet.Address);
        var row = await RowAsync(wallet.Id);
        row.MasterKeyId.ShouldBe("k1");
        row.EncryptedKey.Length.ShouldBe(32);
        row.EncryptedKey.ShouldNotBe(secret);
        (row.KeyNonce.Length, row.KeyTag.Length, row.DataKeyNonce.Length, row.DataKeyTag.Length).ShouldBe((12, 16, 12, 16));
    }

    [Fact]
    public async Task The_key_handed_to_the_caller_is_disposed_afterwards()
    {
        var keys = VaultHarness.Keys(K1);
        var wallet = await _harness.Directory(keys).GetOrCreateAsync(new UserId(1), ChainFamily.Evm, default);

        var escaped = await _harness.Vault(keys).WithKeyAsync(wallet.Id, k => k, default);

        Should.Throw<ObjectDisposedException>(() => escaped.ExportSecret());
    }

    [Theory]
    [InlineData("encrypted_key", WalletKeyProblem.PrivateKeyRejected)]
    [InlineData("key_tag", WalletKeyProblem.PrivateKeyRejected)]
    [InlineData("key_nonce", WalletKeyProblem.PrivateKeyRejected)]
    [InlineData("wrapped_data_key", WalletKeyProblem.DataKeyRejected)]
    [InlineData("data_key_tag", WalletKeyProblem.DataKeyRejected)]
    public async Task A_flipped_bit_anywhere_in_the_sealed_key_fails_with_a_typed_error_naming_the_wallet(string column, WalletKeyProblem expected)
    {
        var keys = VaultHarness.Keys(K1);
        var wallet = await _harness.Directory(keys).GetOrCreateAsync(new UserId(1), ChainFamily.Evm, default);
        var row = await RowAsync(wallet.Id);
        var bytes = (byte[])typeof(WalletEntity).GetProperties().Single(p => Column(p.Name) == column).GetValue(row)!;
        bytes[^1] ^= 0x01;
        await UpdateBlobAsync(wallet.Id, column, bytes);

        var error = await Should.ThrowAsync<WalletKeyUnavailableException>(() => _harness.Vault(keys).WithKeyAsync(wallet.Id, k => k.Address, default));

        error.Problem.ShouldBe(expected);
        error.Wallet.ShouldBe(wallet.Id);
        error.Message.ShouldContain(wallet.Id.ToString());
    }

    [Fact]
    public async Task A_sealed_key_copied_to_another_wallets_row_does_not_decrypt_there()
    {
        var keys = VaultHarness.Keys(K1);
        var directory = _harness.Directory(keys);
        var a = await directory.GetOrCreateAsync(new UserId(1), ChainFamily.Evm, default);
        var b = await directory.GetOrCreateAsync(new UserId(2), ChainFamily.Evm, default);
        var rowA = await RowAsync(a.Id);

        // Only the private key's envelope (b keeps its own data key): the wallet id in the AD refuses it.
        await UpdateBlobAsync(b.Id, "encrypted_key", rowA.EncryptedKey);
        await UpdateBlobAsync(b.Id, "key_nonce", rowA.KeyNonce);
        await UpdateBlobAsync(b.Id, "key_tag", rowA.KeyTag);
        (await Should.ThrowAsync<WalletKeyUnavailableException>(() => _harness.Vault(keys).WithKeyAsync(b.Id, k => k.Address, default))).Problem.ShouldBe(WalletKeyProblem.PrivateKeyRejected);

        // The whole envelope, data key included: now the data key's AD refuses it.
        await UpdateBlobAsync(b.Id, "wrapped_data_key", rowA.WrappedDataKey);
        await UpdateBlobAsync(b.Id, "data_key_nonce", rowA.DataKeyNonce);
        await UpdateBlobAsync(b.Id, "data_key_tag", rowA.DataKeyTag);
        (await Should.ThrowAsync<WalletKeyUnavailableException>(() => _harness.Vault(keys).WithKeyAsync(b.Id, k => k.Address, default))).Problem.ShouldBe(WalletKeyProblem.DataKeyRejected);

        (await _harness.Vault(keys).WithKeyAsync(a.Id, k => k.Address.ToString(), default)).ShouldBe(a.Address);
    }

    [Fact]
    public async Task A_wrong_or_missing_master_key_fails_with_a_typed_error()
    {
        var wallet = await _harness.Directory(VaultHarness.Keys(K1)).GetOrCreateAsync(new UserId(1), ChainFamily.Evm, default);

        var wrong = await Should.ThrowAsync<WalletKeyUnavailableException>(() => _harness.Vault(VaultHarness.Keys(VaultHarness.NewKey("k1"))).WithKeyAsync(wallet.Id, k => k.Address, default));
        wrong.Problem.ShouldBe(WalletKeyProblem.DataKeyRejected);
        wrong.Message.ShouldContain(wallet.Id.ToString());
        wrong.Message.ShouldContain("'k1'");

        var missing = await Should.ThrowAsync<WalletKeyUnavailableException>(() => _harness.Vault(VaultHarness.Keys(K2)).WithKeyAsync(wallet.Id, k => k.Address, default));
        missing.Problem.ShouldBe(WalletKeyProblem.MasterKeyUnknown);

        // A master key id is bound into the wrap: the right bytes under another id do not unwrap either.
        var renamed = "k9:" + K1.Split(':')[1];
        await using var db = _harness.NewContext();
        await db.Set<WalletEntity>().ExecuteUpdateAsync(s => s.SetProperty(w => w.MasterKeyId, "k9"));
        (await Should.ThrowAsync<WalletKeyUnavailableException>(() => _harness.Vault(VaultHarness.Keys(renamed)).WithKeyAsync(wallet.Id, k => k.Address, default))).Problem.ShouldBe(WalletKeyProblem.DataKeyRejected);
    }

    [Fact]
    public async Task Rotation_rewraps_in_batches_and_rows_keep_decrypting_before_during_and_after()
    {
        var created = new List<Wallet>();
        for (var user = 1; user <= 5; user++)
        {
            created.Add(await _harness.Directory(VaultHarness.Keys(K1)).GetOrCreateAsync(new UserId(user), ChainFamily.Evm, default));
        }

        var both = VaultHarness.Keys(K2, K1);
        created.Add(await _harness.Directory(both).GetOrCreateAsync(new UserId(6), ChainFamily.Evm, default));

        // Mid-rotation: stopped after three re-wraps, rows are mixed k1/k2 and every one still decrypts.
        using var stop = new CancellationTokenSource();
        var counting = new CountingKeys(both, after: 3, stop);
        await Should.ThrowAsync<OperationCanceledException>(() => _harness.Vault(counting, batchSize: 2).RotateAsync(stop.Token));
        var ids = await KeyIdsAsync();
        ids.Count(id => id == "k2").ShouldBe(4);
        ids.Count(id => id == "k1").ShouldBe(2);
        foreach (var wallet in created)
        {
            (await _harness.Vault(both).WithKeyAsync(wallet.Id, k => k.Address.ToString(), default)).ShouldBe(wallet.Address);
        }

        var result = await _harness.Vault(both, batchSize: 2).RotateAsync(default);

        result.ShouldBe(new KeyRotationResult("k2", Rewrapped: 2, AlreadyCurrent: 4, Conflicts: 0, Failed: 0));
        (await KeyIdsAsync()).ShouldAllBe(id => id == "k2");
        var onlyNew = VaultHarness.Keys(K2);
        foreach (var wallet in created)
        {
            (await _harness.Vault(onlyNew).WithKeyAsync(wallet.Id, k => k.Address.ToString(), default)).ShouldBe(wallet.Address);
        }

        (await _harness.Vault(both).RotateAsync(default)).ShouldBe(new KeyRotationResult("k2", 0, 6, 0, 0));
    }

    [Fact]
    public async Task Rotation_counts_rows_it_cannot_unwrap_and_leaves_them_untouched()
    {
        var good = await _harness.Directory(VaultHarness.Keys(K1)).GetOrCreateAsync(new UserId(1), ChainFamily.Evm, default);
        var orphan = await _harness.Directory(VaultHarness.Keys(VaultHarness.NewKey("lost"))).GetOrCreateAsync(new UserId(2), ChainFamily.Evm, default);

        var result = await _harness.Vault(VaultHarness.Keys(K2, K1), batchSize: 1).RotateAsync(default);

        result.ShouldBe(new KeyRotationResult("k2", Rewrapped: 1, AlreadyCurrent: 0, Conflicts: 0, Failed: 1));
        (await RowAsync(orphan.Id)).MasterKeyId.ShouldBe("lost");
        (await RowAsync(good.Id)).MasterKeyId.ShouldBe("k2");
        (await RowAsync(good.Id)).RotatedAt.ShouldNotBeNull();
    }

    private async Task<WalletEntity> RowAsync(WalletId id)
    {
        await using var db = _harness.NewContext();
        return await db.Set<WalletEntity>().AsNoTracking().SingleAsync(w => w.Id == id.Value);
    }

    private async Task<List<string>> KeyIdsAsync()
    {
        await using var db = _harness.NewContext();
        return await db.Set<WalletEntity>().Select(w => w.MasterKeyId).ToListAsync();
    }

    private async Task UpdateBlobAsync(WalletId id, string column, byte[] value)
    {
        await using var db = _harness.NewContext();
        var property = typeof(WalletEntity).GetProperties().Single(p => Column(p.Name) == column).Name;
        var row = await db.Set<WalletEntity>().SingleAsync(w => w.Id == id.Value);
        db.Entry(row).Property(property).CurrentValue = value.ToArray();
        await db.SaveChangesAsync();
    }

    private static string Column(string property) =>
        string.Concat(property.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The real keys; the current key's wraps are counted and the one after <c>after</c> cancels, cutting a rotation off part-way.</summary>
    private sealed class CountingKeys(IMasterKeyProvider inner, int after, CancellationTokenSource stop) : IMasterKeyProvider
    {
        private int _wraps;

        private int After => after;

        private CancellationTokenSource Stop => stop;

        public async ValueTask<IMasterKey> GetCurrentAsync(CancellationToken cancellationToken) => new Counting(await inner.GetCurrentAsync(cancellationToken), this);

        public ValueTask<IMasterKey?> GetAsync(string keyId, CancellationToken cancellationToken) => inner.GetAsync(keyId, cancellationToken);

        private sealed class Counting(IMasterKey key, CountingKeys owner) : IMasterKey
        {
            public string Id => key.Id;

            public async ValueTask<WrappedDataKey> WrapAsync(ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken)
            {
                if (Interlocked.Increment(ref owner._wraps) > owner.After)
                {
                    await owner.Stop.CancelAsync();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                return await key.WrapAsync(dataKey, associatedData, cancellationToken);
            }

            public ValueTask<byte[]> UnwrapAsync(WrappedDataKey wrapped, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken) =>
                key.UnwrapAsync(wrapped, associatedData, cancellationToken);
        }
    }
}
