namespace VantaBot.Infrastructure.KeyVault;

/// <summary>A master key held in process memory (file or environment providers): AES-256-GCM wrap and unwrap.</summary>
public sealed class LocalMasterKey : IMasterKey
{
    private readonly byte[] _key;

    public LocalMasterKey(string id, ReadOnlySpan<byte> key)
    {
        if (key.Length != AesGcmEnvelope.KeySize)
        {
            throw new ArgumentException($"a master key is exactly {AesGcmEnvelope.KeySize} bytes", nameof(key));
        }

        Id = id;
        _key = key.ToArray();
    }

    public string Id { get; }

    public ValueTask<WrappedDataKey> WrapAsync(ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken)
    {
        var (ciphertext, nonce, tag) = AesGcmEnvelope.Encrypt(_key, dataKey.Span, associatedData.Span);
        return ValueTask.FromResult(new WrappedDataKey(ciphertext, nonce, tag));
    }

    public ValueTask<byte[]> UnwrapAsync(WrappedDataKey wrapped, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AesGcmEnvelope.Decrypt(_key, wrapped.Ciphertext, wrapped.Nonce, wrapped.Tag, associatedData.Span));

    public override string ToString() => $"LocalMasterKey({Id})";
}
