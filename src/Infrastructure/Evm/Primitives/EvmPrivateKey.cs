using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Math;

namespace VantaBot.Infrastructure.Evm.Primitives;

/// <summary>
/// A secp256k1 private key held only as long as it is needed: disposing zeroes the bytes, and nothing about the
/// key (not even its bytes' length) reaches ToString, logs or exceptions. Only the key vault and the signer create one.
/// </summary>
public sealed class EvmPrivateKey : IDisposable
{
    public const int Size = 32;

    internal static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");

    private readonly byte[] _secret;
    private bool _disposed;

    private EvmPrivateKey(byte[] secret)
    {
        _secret = secret;
        var point = Curve.G.Multiply(new Org.BouncyCastle.Math.BigInteger(1, _secret)).Normalize();
        Address = EvmAddress.FromPublicKey(point.GetEncoded(false));
    }

    public EvmAddress Address { get; }

    /// <summary>A fresh key from the OS's cryptographic generator, retried until it lies in [1, n−1].</summary>
    public static EvmPrivateKey Generate()
    {
        while (true)
        {
            var candidate = RandomNumberGenerator.GetBytes(Size);
            if (IsValid(candidate))
            {
                return new EvmPrivateKey(candidate);
            }

            CryptographicOperations.ZeroMemory(candidate);
        }
    }

    /// <summary>Copies the bytes; the caller keeps ownership of (and should zero) its own buffer.</summary>
    public static EvmPrivateKey FromBytes(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != Size || !IsValid(secret))
        {
            throw new CryptographicException("not a valid secp256k1 private key");
        }

        return new EvmPrivateKey(secret.ToArray());
    }

    /// <summary>A copy of the secret for the key vault to encrypt; the caller zeroes it after use.</summary>
    public byte[] ExportSecret()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_secret.Clone();
    }

    /// <summary>The scalar, for the signer in this assembly only.</summary>
    internal Org.BouncyCastle.Math.BigInteger Scalar
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new Org.BouncyCastle.Math.BigInteger(1, _secret);
        }
    }

    /// <summary>
    /// Signs a 32-byte hash (RFC 6979 deterministic k, low S, recovery id included). The same key and hash always
    /// give the same signature.
    /// </summary>
    public EvmSignature Sign(ReadOnlySpan<byte> hash32) => Secp256k1.Sign(hash32, Scalar, Address);

    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_secret);
            _disposed = true;
        }
    }

    public override string ToString() => $"EvmPrivateKey(for {Address})";

    private static bool IsValid(ReadOnlySpan<byte> secret)
    {
        var d = new System.Numerics.BigInteger(secret, isUnsigned: true, isBigEndian: true);
        var n = new System.Numerics.BigInteger(Curve.N.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
        return d > System.Numerics.BigInteger.Zero && d < n;
    }
}
