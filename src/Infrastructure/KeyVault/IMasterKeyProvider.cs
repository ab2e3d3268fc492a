namespace VantaBot.Infrastructure.KeyVault;

/// <summary>
/// Where master keys come from. It hands out <see cref="IMasterKey"/> handles that wrap and unwrap data keys
/// rather than the key bytes themselves, so a KMS-backed provider can implement it with the KMS's own
/// Encrypt/Decrypt calls and the master key never leaves the KMS. Versioned: every wrapped data key records the
/// id of the master key that wrapped it, and old versions stay readable until rotation has re-wrapped their rows.
/// </summary>
public interface IMasterKeyProvider
{
    /// <summary>The key new data keys are wrapped with (and rotation re-wraps to).</summary>
    ValueTask<IMasterKey> GetCurrentAsync(CancellationToken cancellationToken);

    /// <summary>A key by id, current or retired; null when this provider does not know it.</summary>
    ValueTask<IMasterKey?> GetAsync(string keyId, CancellationToken cancellationToken);
}

/// <summary>One version of a master key, usable only to wrap and unwrap data keys.</summary>
public interface IMasterKey
{
    /// <summary>Stored next to every data key it wrapped, and bound into that wrap's associated data.</summary>
    string Id { get; }

    ValueTask<WrappedDataKey> WrapAsync(ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken);

    /// <summary>The data key; throws <see cref="System.Security.Cryptography.CryptographicException"/> when the wrap does not authenticate.</summary>
    ValueTask<byte[]> UnwrapAsync(WrappedDataKey wrapped, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken);
}

/// <summary>A data key encrypted by a master key (AES-256-GCM: ciphertext, 12-byte nonce, 16-byte tag).</summary>
public sealed record WrappedDataKey(byte[] Ciphertext, byte[] Nonce, byte[] Tag);
