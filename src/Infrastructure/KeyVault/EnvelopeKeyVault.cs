using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Wallets;

namespace VantaBot.Infrastructure.KeyVault;

/// <summary>
/// Envelope encryption over the <c>wallets</c> table: private key --AES-256-GCM(data key, AD = wallet id)-->
/// ciphertext; data key --master key (AD = wallet id + master key id)--> wrapped data key. Rotation only re-wraps
/// the 32-byte data keys, so it never touches a private key's ciphertext.
/// </summary>
public sealed partial class EnvelopeKeyVault(
    VantaBotDbContext db,
    IMasterKeyProvider masterKeys,
    IOptions<KeyVaultOptions> options,
    TimeProvider time,
    ILogger<EnvelopeKeyVault> logger) : IKeyVault
{
    public async Task<SealedWalletKey> SealNewKeyAsync(WalletId wallet, EvmPrivateKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var master = await masterKeys.GetCurrentAsync(cancellationToken);
        var dataKey = RandomNumberGenerator.GetBytes(AesGcmEnvelope.KeySize);
        var secret = key.ExportSecret();
        try
        {
            var (ciphertext, nonce, tag) = AesGcmEnvelope.Encrypt(dataKey, secret, AesGcmEnvelope.PrivateKeyAssociatedData(wallet));
            var wrapped = await master.WrapAsync(dataKey, AesGcmEnvelope.DataKeyAssociatedData(wallet, master.Id), cancellationToken);
            return new SealedWalletKey(ciphertext, nonce, tag, wrapped.Ciphertext, wrapped.Nonce, wrapped.Tag, master.Id);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public async Task<T> WithKeyAsync<T>(WalletId wallet, Func<EvmPrivateKey, T> use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(use);

        // One SELECT: a row being rotated is seen wholly before or wholly after its re-wrap.
        var row = await db.Set<WalletEntity>().AsNoTracking().SingleOrDefaultAsync(w => w.Id == wallet.Value, cancellationToken)
            ?? throw new WalletKeyUnavailableException(wallet, WalletKeyProblem.WalletNotFound);
        var dataKey = await UnwrapAsync(wallet, row, cancellationToken);
        byte[] secret;
        try
        {
            secret = AesGcmEnvelope.Decrypt(dataKey, row.EncryptedKey, row.KeyNonce, row.KeyTag, AesGcmEnvelope.PrivateKeyAssociatedData(wallet));
        }
        catch (CryptographicException)
        {
            LogKeyFailure(wallet.ToString(), nameof(WalletKeyProblem.PrivateKeyRejected));
            throw new WalletKeyUnavailableException(wallet, WalletKeyProblem.PrivateKeyRejected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }

        try
        {
            using var key = EvmPrivateKey.FromBytes(secret);
            return use(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public async Task<KeyRotationResult> RotateAsync(CancellationToken cancellationToken)
    {
        var current = await masterKeys.GetCurrentAsync(cancellationToken);
        var wallets = db.Set<WalletEntity>().AsNoTracking();
        var alreadyCurrent = await wallets.CountAsync(w => w.MasterKeyId == current.Id, cancellationToken);
        var batchSize = options.Value.RotationBatchSize;
        var failed = new List<Guid>();
        int rewrapped = 0, conflicts = 0;
        LogRotationStarted(current.Id, alreadyCurrent);
        while (true)
        {
            // Every row of a batch leaves the selection (re-wrapped, changed by someone else, or remembered as
            // failed), so the loop ends even while new wallets keep arriving (they are created current).
            var batch = await wallets
                .Where(w => w.MasterKeyId != current.Id && !failed.Contains(w.Id))
                .OrderBy(w => w.CreatedAt)
                .Take(batchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var row in batch)
            {
                switch (await RewrapAsync(row, current, cancellationToken))
                {
                    case RewrapOutcome.Rewrapped:
                        rewrapped++;
                        break;
                    case RewrapOutcome.Conflict:
                        conflicts++;
                        break;
                    default:
                        failed.Add(row.Id);
                        break;
                }
            }
        }

        var result = new KeyRotationResult(current.Id, rewrapped, alreadyCurrent, conflicts, failed.Count);
        LogRotationFinished(result.Describe());
        return result;
    }

    private async Task<RewrapOutcome> RewrapAsync(WalletEntity row, IMasterKey current, CancellationToken cancellationToken)
    {
        var wallet = new WalletId(row.Id);
        byte[] dataKey;
        try
        {
            dataKey = await UnwrapAsync(wallet, row, cancellationToken);
        }
        catch (WalletKeyUnavailableException)
        {
            return RewrapOutcome.Failed;
        }

        WrappedDataKey wrapped;
        try
        {
            wrapped = await current.WrapAsync(dataKey, AesGcmEnvelope.DataKeyAssociatedData(wallet, current.Id), cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }

        // The optimistic check: only the exact wrap we read is replaced (its nonce is unique), in one statement,
        // so the row is never half-rotated and a concurrent rotation of the same row is detected, not overwritten.
        var oldKeyId = row.MasterKeyId;
        var oldNonce = row.DataKeyNonce;
        var now = time.GetUtcNow();
        var changed = await db.Set<WalletEntity>()
            .Where(w => w.Id == row.Id && w.MasterKeyId == oldKeyId && w.DataKeyNonce == oldNonce)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(w => w.WrappedDataKey, wrapped.Ciphertext)
                    .SetProperty(w => w.DataKeyNonce, wrapped.Nonce)
                    .SetProperty(w => w.DataKeyTag, wrapped.Tag)
                    .SetProperty(w => w.MasterKeyId, current.Id)
                    .SetProperty(w => w.RotatedAt, now),
                cancellationToken);
        return changed == 1 ? RewrapOutcome.Rewrapped : RewrapOutcome.Conflict;
    }

    private async Task<byte[]> UnwrapAsync(WalletId wallet, WalletEntity row, CancellationToken cancellationToken)
    {
        var master = await masterKeys.GetAsync(row.MasterKeyId, cancellationToken);
        if (master is null)
        {
            LogKeyFailure(wallet.ToString(), nameof(WalletKeyProblem.MasterKeyUnknown));
            throw new WalletKeyUnavailableException(wallet, WalletKeyProblem.MasterKeyUnknown, row.MasterKeyId);
        }

        try
        {
            return await master.UnwrapAsync(
                new WrappedDataKey(row.WrappedDataKey, row.DataKeyNonce, row.DataKeyTag),
                AesGcmEnvelope.DataKeyAssociatedData(wallet, row.MasterKeyId),
                cancellationToken);
        }
        catch (CryptographicException)
        {
            LogKeyFailure(wallet.ToString(), nameof(WalletKeyProblem.DataKeyRejected));
            throw new WalletKeyUnavailableException(wallet, WalletKeyProblem.DataKeyRejected, row.MasterKeyId);
        }
    }

    private enum RewrapOutcome
    {
        Rewrapped,
        Conflict,
        Failed,
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "KeyVault: the key of wallet {WalletId} could not be decrypted ({Problem}).")]
    private partial void LogKeyFailure(string walletId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "KeyVault: rotation to master key {KeyId} started ({AlreadyCurrent} wallets already current).")]
    private partial void LogRotationStarted(string keyId, int alreadyCurrent);

    [LoggerMessage(Level = LogLevel.Information, Message = "KeyVault: rotation finished: {Summary}.")]
    private partial void LogRotationFinished(string summary);
}
