using Org.BouncyCastle.Crypto.Digests;

namespace VantaBot.Infrastructure.Evm.Primitives;

/// <summary>Ethereum's Keccak-256: the original Keccak padding, not NIST SHA3-256 (the two differ on every input).</summary>
public static class Keccak256
{
    public const int Size = 32;

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data.ToArray(), 0, data.Length);
        var output = new byte[Size];
        digest.DoFinal(output, 0);
        return output;
    }

    public static byte[] Hash(string utf8Text) => Hash(System.Text.Encoding.UTF8.GetBytes(utf8Text));
}
