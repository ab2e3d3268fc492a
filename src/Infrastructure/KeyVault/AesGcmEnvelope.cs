using System.Security.Cryptography;
using System.Text;
using VantaBot.Trading.Wallets;

namespace VantaBot.Infrastructure.KeyVault;

/// <summary>AES-256-GCM with a fresh 12-byte random nonce and a 16-byte tag, and the associated data we bind.</summary>
public static class AesGcmEnvelope
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    public static (byte[] Ciphertext, byte[] Nonce, byte[] Tag) Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        return (ciphertext, nonce, tag);
    }

    /// <summary>The plaintext; the caller zeroes it. Throws <see cref="CryptographicException"/> on any mismatch.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        if (nonce.Length != NonceSize || tag.Length != TagSize)
        {
            throw new CryptographicException("malformed envelope");
        }

        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return plaintext;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw;
        }
    }

    /// <summary>Binds a sealed private key to its wallet: the same bytes copied to another wallet's row do not decrypt.</summary>
    public static byte[] PrivateKeyAssociatedData(WalletId wallet) => Encoding.ASCII.GetBytes($"vantabot/wallet-key/v1|{wallet}");

    /// <summary>Binds a wrapped data key to its wallet and to the master key version that wrapped it.</summary>
    public static byte[] DataKeyAssociatedData(WalletId wallet, string masterKeyId) => Encoding.UTF8.GetBytes($"vantabot/data-key/v1|{wallet}|{masterKeyId}");
}
