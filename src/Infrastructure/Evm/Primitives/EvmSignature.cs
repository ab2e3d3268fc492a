using System.Numerics;

namespace VantaBot.Infrastructure.Evm.Primitives;

/// <summary>
/// A secp256k1 signature as Ethereum transactions carry it: R, S and the recovery id (y parity 0 or 1) that lets
/// anyone recover the signer's address from the signed hash.
/// </summary>
public sealed record EvmSignature
{
    public EvmSignature(BigInteger r, BigInteger s, byte yParity)
    {
        if (r.Sign <= 0 || r >= Secp256k1.N)
        {
            throw new ArgumentOutOfRangeException(nameof(r), "R must lie in [1, n−1]");
        }

        if (s.Sign <= 0 || s >= Secp256k1.N)
        {
            throw new ArgumentOutOfRangeException(nameof(s), "S must lie in [1, n−1]");
        }

        if (yParity > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(yParity), "the y parity is 0 or 1");
        }

        R = r;
        S = s;
        YParity = yParity;
    }

    public BigInteger R { get; }

    public BigInteger S { get; }

    public byte YParity { get; }

    /// <summary>True when S is in the lower half of the order, the only form nodes accept since Homestead (EIP-2).</summary>
    public bool IsLowS => S <= Secp256k1.HalfN;

    /// <summary>The address whose key produced <paramref name="signature"/> over <paramref name="hash32"/>.</summary>
    public static EvmAddress RecoverSigner(ReadOnlySpan<byte> hash32, EvmSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return Secp256k1.Recover(hash32, signature);
    }

    /// <summary>The 65-byte r ‖ s ‖ v form used by eth_sign and ecrecover callers (v = 27 + y parity).</summary>
    public byte[] ToBytes65()
    {
        var bytes = new byte[65];
        var rLength = R.GetByteCount(isUnsigned: true);
        var sLength = S.GetByteCount(isUnsigned: true);
        R.TryWriteBytes(bytes.AsSpan(32 - rLength, rLength), out _, isUnsigned: true, isBigEndian: true);
        S.TryWriteBytes(bytes.AsSpan(64 - sLength, sLength), out _, isUnsigned: true, isBigEndian: true);
        bytes[64] = (byte)(27 + YParity);
        return bytes;
    }

    public override string ToString() => $"EvmSignature(r=0x{R:x}, s=0x{S:x}, yParity={YParity})";
}
