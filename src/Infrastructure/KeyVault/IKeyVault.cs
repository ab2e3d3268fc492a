using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Trading.Wallets;

namespace VantaBot.Infrastructure.KeyVault;

/// <summary>
/// The only holder of wallets' private keys. Keys leave it sealed (to be stored with their wallet) or, briefly,
/// inside <see cref="WithKeyAsync{T}"/> for the signer; never as bytes in a log, error or reply.
/// </summary>
public interface IKeyVault
{
    /// <summary>
    /// Seals a new wallet's key under a fresh data key wrapped by the current master key. The caller stores the
    /// result in the same insert as the wallet row, so a wallet never exists without its key (nor a key without its wallet).
    /// </summary>
    Task<SealedWalletKey> SealNewKeyAsync(WalletId wallet, EvmPrivateKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Decrypts the wallet's key, passes it to <paramref name="use"/>, then zeroes and disposes it. Throws
    /// <see cref="WalletKeyUnavailableException"/> (naming the wallet, never key bytes) when it cannot be decrypted.
    /// </summary>
    Task<T> WithKeyAsync<T>(WalletId wallet, Func<EvmPrivateKey, T> use, CancellationToken cancellationToken);

    /// <summary>
    /// Re-wraps every data key not yet under the current master key, in small batches, each row its own short
    /// transaction guarded by an optimistic check. Rows not yet reached keep working under their old master key.
    /// </summary>
    Task<KeyRotationResult> RotateAsync(CancellationToken cancellationToken);
}

/// <summary>A sealed private key: what the wallet row stores. Holds no secret in the clear.</summary>
public sealed record SealedWalletKey(
    byte[] EncryptedKey,
    byte[] KeyNonce,
    byte[] KeyTag,
    byte[] WrappedDataKey,
    byte[] DataKeyNonce,
    byte[] DataKeyTag,
    string MasterKeyId);

/// <summary>What one rotation did.</summary>
/// <param name="Rewrapped">Rows re-wrapped by this run.</param>
/// <param name="AlreadyCurrent">Rows that were under the current key before this run started.</param>
/// <param name="Conflicts">Rows changed by someone else between read and write (e.g. a concurrent rotation); they are current either way.</param>
/// <param name="Failed">Rows whose data key could not be unwrapped (unknown or wrong master key, tampering); left untouched, logged by wallet id.</param>
public sealed record KeyRotationResult(string CurrentKeyId, int Rewrapped, int AlreadyCurrent, int Conflicts, int Failed)
{
    public string Describe() =>
        $"{Rewrapped} re-wrapped under master key {CurrentKeyId}, {AlreadyCurrent} already current, {Conflicts} changed concurrently, {Failed} failed";
}

public enum WalletKeyProblem
{
    WalletNotFound,
    MasterKeyUnknown,
    DataKeyRejected,
    PrivateKeyRejected,
}

/// <summary>A wallet's key could not be produced. The message names the wallet and the reason, never any key bytes.</summary>
public sealed class WalletKeyUnavailableException : Exception
{
    public WalletKeyUnavailableException(WalletId wallet, WalletKeyProblem problem, string? masterKeyId = null)
        : base(Describe(wallet, problem, masterKeyId))
    {
        Wallet = wallet;
        Problem = problem;
    }

    public WalletKeyUnavailableException()
    {
    }

    public WalletKeyUnavailableException(string message)
        : base(message)
    {
    }

    public WalletKeyUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WalletId Wallet { get; }

    public WalletKeyProblem Problem { get; }

    private static string Describe(WalletId wallet, WalletKeyProblem problem, string? masterKeyId) => problem switch
    {
        WalletKeyProblem.WalletNotFound => $"Wallet {wallet} has no stored key.",
        WalletKeyProblem.MasterKeyUnknown => $"The key of wallet {wallet} is wrapped by master key '{masterKeyId}', which the key provider does not have.",
        WalletKeyProblem.DataKeyRejected => $"The data key of wallet {wallet} did not authenticate under master key '{masterKeyId}' (wrong master key, or the row was altered).",
        _ => $"The private key of wallet {wallet} did not authenticate (the row was altered or belongs to another wallet).",
    };
}
