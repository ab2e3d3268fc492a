using System.Globalization;
using System.Numerics;
using System.Text;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Abi;

/// <summary>
/// Turns the data of a reverted call into one human line: Error(string) gives its message, Panic(uint256) its code
/// and meaning, anything else is named by its selector. Revert data is attacker-controlled: this never throws, strips
/// control characters and caps the length, so the text is safe to log and show.
/// </summary>
public static class RevertReason
{
    public const int MaxLength = 200;

    private static readonly byte[] ErrorSelector = [0x08, 0xc3, 0x79, 0xa0];
    private static readonly byte[] PanicSelector = [0x4e, 0x48, 0x7b, 0x71];

    // Solidity's panic codes (docs: "Panic via assert and Error via require").
    private static readonly Dictionary<int, string> PanicCodes = new()
    {
        [0x00] = "generic compiler panic",
        [0x01] = "assertion failed",
        [0x11] = "arithmetic overflow",
        [0x12] = "division or modulo by zero",
        [0x21] = "invalid enum value",
        [0x22] = "invalid storage byte array encoding",
        [0x31] = "pop on an empty array",
        [0x32] = "array index out of bounds",
        [0x41] = "out of memory",
        [0x51] = "call to an uninitialised function",
    };

    public static string Decode(byte[]? revertData)
    {
        if (revertData is null || revertData.Length == 0)
        {
            return "reverted without a reason";
        }

        if (revertData.Length < 4)
        {
            return $"malformed revert data {Hex.FromBytes(revertData)}";
        }

        var selector = revertData.AsSpan(0, 4);
        var body = revertData.AsSpan(4);
        if (selector.SequenceEqual(ErrorSelector))
        {
            try
            {
                return Clean((string)AbiDecoder.Decode(AbiType.String, body)!);
            }
            catch (AbiDecodingException)
            {
                return $"malformed Error(string) revert data ({revertData.Length} bytes)";
            }
        }

        if (selector.SequenceEqual(PanicSelector))
        {
            try
            {
                var code = (BigInteger)AbiDecoder.Decode(AbiType.UInt(256), body)!;
                var hex = "0x" + code.ToString("x2", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(2, '0');
                return code <= 0xff && PanicCodes.TryGetValue((int)code, out var meaning)
                    ? $"panic {hex} ({meaning})"
                    : $"panic {hex}";
            }
            catch (AbiDecodingException)
            {
                return $"malformed Panic(uint256) revert data ({revertData.Length} bytes)";
            }
        }

        return $"custom error {Hex.FromBytes(selector)}" + (body.IsEmpty ? "" : $" with {body.Length} bytes of data");
    }

    private static string Clean(string message)
    {
        var text = new StringBuilder(Math.Min(message.Length, MaxLength));
        foreach (var rune in message.EnumerateRunes())
        {
            if (text.Length >= MaxLength)
            {
                text.Append('…');
                break;
            }

            // Control and format characters (newlines, bidi overrides) could forge or reorder the text around it.
            var hidden = Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format;
            text.Append(hidden ? " " : rune.ToString());
        }

        var cleaned = text.ToString().Trim();
        return cleaned.Length == 0 ? "reverted with an empty reason" : cleaned;
    }
}
