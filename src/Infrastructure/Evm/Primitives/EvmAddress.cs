using System.Diagnostics.CodeAnalysis;

namespace VantaBot.Infrastructure.Evm.Primitives;

/// <summary>
/// A 20-byte account address. Prints in EIP-55 mixed-case checksum form; parsing accepts all-lower or all-upper
/// hex, and mixed case only when the checksum matches, so a mistyped address is refused rather than funded.
/// </summary>
public readonly record struct EvmAddress
{
    public const int Size = 20;

    private readonly string? _lowerHex;

    private EvmAddress(string lowerHex) => _lowerHex = lowerHex;

    public static EvmAddress Zero { get; } = new(new string('0', 40));

    /// <summary>Lower-case hex without "0x": the canonical form for storage and comparison.</summary>
    public string LowerHex => _lowerHex ?? new string('0', 40);

    public byte[] ToBytes() => Convert.FromHexString(LowerHex);

    public static EvmAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"an address is {Size} bytes, not {bytes.Length}", nameof(bytes));
        }

        return new EvmAddress(Convert.ToHexStringLower(bytes));
    }

    /// <summary>The address of an uncompressed secp256k1 public key (64 bytes X‖Y, or 65 with the 0x04 prefix).</summary>
    public static EvmAddress FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length == 65 && publicKey[0] == 0x04)
        {
            publicKey = publicKey[1..];
        }

        if (publicKey.Length != 64)
        {
            throw new ArgumentException("an uncompressed public key is 64 bytes (X‖Y)", nameof(publicKey));
        }

        return FromBytes(Keccak256.Hash(publicKey).AsSpan(12));
    }

    public static EvmAddress Parse(string text) =>
        TryParse(text, out var address, out var problem) ? address : throw new FormatException(problem);

    public static bool TryParse(string? text, out EvmAddress address) => TryParse(text, out address, out _);

    public static bool TryParse(string? text, out EvmAddress address, [NotNullWhen(false)] out string? problem)
    {
        address = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            problem = "an EVM address starts with 0x followed by 40 hex digits";
            return false;
        }

        var digits = text[2..];
        if (digits.Length != 40 || !digits.All(char.IsAsciiHexDigit))
        {
            problem = $"an EVM address has 40 hex digits after 0x, not {digits.Length}";
            return false;
        }

        var lower = digits.ToLowerInvariant();
        var mixed = !string.Equals(digits, lower, StringComparison.Ordinal)
            && !string.Equals(digits, digits.ToUpperInvariant(), StringComparison.Ordinal);
        if (mixed && !string.Equals(Checksummed(lower), digits, StringComparison.Ordinal))
        {
            problem = "the address's upper/lower-case checksum (EIP-55) does not match: it is probably mistyped";
            return false;
        }

        address = new EvmAddress(lower);
        problem = null;
        return true;
    }

    public override string ToString() => "0x" + Checksummed(LowerHex);

    private static string Checksummed(string lowerHex)
    {
        var hash = Keccak256.Hash(lowerHex);
        var chars = lowerHex.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
            if (char.IsAsciiLetter(chars[i]) && nibble >= 8)
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        return new string(chars);
    }
}
