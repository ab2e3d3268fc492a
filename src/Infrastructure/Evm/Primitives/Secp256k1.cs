using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC;
using BcInteger = Org.BouncyCastle.Math.BigInteger;
using BigInteger = System.Numerics.BigInteger;

namespace VantaBot.Infrastructure.Evm.Primitives;

/// <summary>
/// ECDSA over secp256k1 the way Ethereum uses it: deterministic k (RFC 6979, so a signature never depends on a
/// random source), S folded into the lower half (EIP-2), and public-key recovery (SEC 1 §4.1.6).
/// </summary>
internal static class Secp256k1
{
    private static readonly ECDomainParameters Domain = new(
        EvmPrivateKey.Curve.Curve, EvmPrivateKey.Curve.G, EvmPrivateKey.Curve.N, EvmPrivateKey.Curve.H);

    public static readonly BigInteger N = ToSystem(EvmPrivateKey.Curve.N);

    public static readonly BigInteger HalfN = N >> 1;

    public static EvmSignature Sign(ReadOnlySpan<byte> hash32, BcInteger scalar, EvmAddress signer)
    {
        RequireHash(hash32);
        var hash = hash32.ToArray();
        var ecdsa = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        ecdsa.Init(true, new ECPrivateKeyParameters(scalar, Domain));
        var rs = ecdsa.GenerateSignature(hash);
        var r = ToSystem(rs[0]);
        var s = ToSystem(rs[1]);

        // (r, s) and (r, n−s) are both valid; nodes accept only the low one, whose R point is the mirror image,
        // so the recovery id is found by trying both rather than by tracking the flip.
        if (s > HalfN)
        {
            s = N - s;
        }

        for (byte parity = 0; parity <= 1; parity++)
        {
            var candidate = new EvmSignature(r, s, parity);
            if (TryRecover(hash, candidate, out var recovered) && recovered == signer)
            {
                return candidate;
            }
        }

        // Happens only when R.x ≥ n (probability about 2^-128), which a y parity alone cannot express.
        throw new InvalidOperationException("the signature's R point cannot be described by a y parity");
    }

    public static EvmAddress Recover(ReadOnlySpan<byte> hash32, EvmSignature signature)
    {
        RequireHash(hash32);
        return TryRecover(hash32.ToArray(), signature, out var address)
            ? address
            : throw new ArgumentException("the signature does not recover to any public key", nameof(signature));
    }

    private static bool TryRecover(byte[] hash, EvmSignature signature, out EvmAddress address)
    {
        address = default;
        var n = EvmPrivateKey.Curve.N;
        var r = ToBouncy(signature.R);
        var s = ToBouncy(signature.S);

        // R is the curve point with x = r (r < n < p here) and the recorded y parity.
        var compressed = new byte[33];
        compressed[0] = (byte)(0x02 + signature.YParity);
        var rBytes = r.ToByteArrayUnsigned();
        rBytes.CopyTo(compressed, 33 - rBytes.Length);
        ECPoint point;
        try
        {
            point = EvmPrivateKey.Curve.Curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            return false;
        }

        // Q = r⁻¹ (s·R − e·G)
        var e = new BcInteger(1, hash);
        var rInverse = r.ModInverse(n);
        var q = ECAlgorithms.SumOfTwoMultiplies(
            EvmPrivateKey.Curve.G, e.Negate().Mod(n).Multiply(rInverse).Mod(n),
            point, s.Multiply(rInverse).Mod(n)).Normalize();
        if (q.IsInfinity)
        {
            return false;
        }

        address = EvmAddress.FromPublicKey(q.GetEncoded(false));
        return true;
    }

    private static void RequireHash(ReadOnlySpan<byte> hash32)
    {
        if (hash32.Length != 32)
        {
            throw new ArgumentException($"a signed hash is 32 bytes, not {hash32.Length}", nameof(hash32));
        }
    }

    private static BigInteger ToSystem(BcInteger value) =>
        new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    private static BcInteger ToBouncy(BigInteger value) =>
        new(1, value.ToByteArray(isUnsigned: true, isBigEndian: true));
}
