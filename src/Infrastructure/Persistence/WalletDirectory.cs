using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.KeyVault;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>Custodial wallets in the <c>wallets</c> table; new ones get a fresh key sealed by the key vault.</summary>
public sealed partial class WalletDirectory(VantaBotDbContext db, IKeyVault vault, TimeProvider time, ILogger<WalletDirectory> logger) : IWalletDirectory
{
    public async Task<Wallet?> FindAsync(UserId user, string chainFamily, CancellationToken cancellationToken)
    {
        var row = await db.Set<WalletEntity>().AsNoTracking()
            .Where(w => w.UserId == user && w.ChainFamily == chainFamily)
            .Select(w => new { w.Id, w.UserId, w.ChainFamily, w.Address, w.CreatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : ToDomain(row.Id, row.UserId, row.ChainFamily, row.Address, row.CreatedAt);
    }

    public async Task<Wallet> GetOrCreateAsync(UserId user, string chainFamily, CancellationToken cancellationToken)
    {
        if (chainFamily != ChainFamily.Evm)
        {
            throw new ArgumentOutOfRangeException(nameof(chainFamily), chainFamily, "only EVM wallets exist so far");
        }

        if (await FindAsync(user, chainFamily, cancellationToken) is { } existing)
        {
            return existing;
        }

        var id = WalletId.New();
        using var key = EvmPrivateKey.Generate();
        var sealedKey = await vault.SealNewKeyAsync(id, key, cancellationToken);
        var row = new WalletEntity
        {
            Id = id.Value,
            UserId = user,
            ChainFamily = chainFamily,
            Address = "0x" + key.Address.LowerHex,
            EncryptedKey = sealedKey.EncryptedKey,
            KeyNonce = sealedKey.KeyNonce,
            KeyTag = sealedKey.KeyTag,
            WrappedDataKey = sealedKey.WrappedDataKey,
            DataKeyNonce = sealedKey.DataKeyNonce,
            DataKeyTag = sealedKey.DataKeyTag,
            MasterKeyId = sealedKey.MasterKeyId,
            CreatedAt = WholeMicroseconds(time.GetUtcNow()),
        };
        db.Set<WalletEntity>().Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            LogCreated(id.ToString(), user.Value, key.Address.ToString());
            return ToDomain(row.Id, row.UserId, row.ChainFamily, row.Address, row.CreatedAt);
        }
        catch (DbUpdateException)
        {
            // A concurrent /wallet of the same user won the unique (user, family) insert: theirs is the wallet,
            // and the key generated here was never stored anywhere.
            return await FindAsync(user, chainFamily, cancellationToken)
                ?? throw new InvalidOperationException($"The wallet of user {user.Value} could be neither inserted nor read.");
        }
        finally
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }

    /// <summary>PostgreSQL keeps microseconds: the creator sees the same time as every later reader.</summary>
    private static DateTimeOffset WholeMicroseconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerMicrosecond));

    private static Wallet ToDomain(Guid id, UserId user, string family, string address, DateTimeOffset createdAt) =>
        new(new WalletId(id), user, family, EvmAddress.Parse(address).ToString(), createdAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wallet {WalletId} created for user {UserId} at {Address}.")]
    private partial void LogCreated(string walletId, long userId, string address);
}
