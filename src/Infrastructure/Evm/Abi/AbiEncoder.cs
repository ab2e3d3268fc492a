using System.Collections;
using System.Numerics;
using System.Text;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Abi;

/// <summary>
/// Solidity ABI encoding (head/tail layout). Values: BigInteger (or any .NET integer) for uint/int, range-checked
/// for the width and sign; <see cref="EvmAddress"/>; bool; byte[] for bytes and bytesN (exact length); string; and
/// any list (object?[], IReadOnlyList&lt;object?&gt;, List&lt;T&gt;) for arrays and tuples.
/// A value that does not fit its type is a caller bug and throws <see cref="ArgumentException"/>.
/// </summary>
public static class AbiEncoder
{
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        if (types.Count != values.Count)
        {
            throw new ArgumentException($"{types.Count} types but {values.Count} values");
        }

        using var output = new MemoryStream();
        EncodeSequence(output, types, values, "");
        return output.ToArray();
    }

    /// <summary>One value as a single-element sequence (a top-level "(T)").</summary>
    public static byte[] Encode(AbiType type, object? value) => Encode([type], [value]);

    private static void EncodeSequence(MemoryStream output, IReadOnlyList<AbiType> types, IReadOnlyList<object?> values, string path)
    {
        var headSize = types.Sum(t => t.HeadSize);
        using var tails = new MemoryStream();
        for (var i = 0; i < types.Count; i++)
        {
            var at = $"{path}[{i}]";
            if (types[i].IsDynamic)
            {
                WriteWord(output, new BigInteger(headSize + tails.Length));
                EncodeValue(tails, types[i], values[i], at);
            }
            else
            {
                EncodeValue(output, types[i], values[i], at);
            }
        }

        tails.Position = 0;
        tails.CopyTo(output);
    }

    private static void EncodeValue(MemoryStream output, AbiType type, object? value, string at)
    {
        switch (type.Kind)
        {
            case AbiKind.UInt:
            case AbiKind.Int:
                WriteInteger(output, type, ToInteger(value, type, at), at);
                break;
            case AbiKind.Address:
                var address = value is EvmAddress a ? a : throw Mismatch(type, value, at);
                output.Write(new byte[12]);
                output.Write(address.ToBytes());
                break;
            case AbiKind.Bool:
                WriteWord(output, value is bool b ? (b ? BigInteger.One : BigInteger.Zero) : throw Mismatch(type, value, at));
                break;
            case AbiKind.FixedBytes:
                var fixedBytes = value as byte[] ?? throw Mismatch(type, value, at);
                if (fixedBytes.Length != type.Size)
                {
                    throw new ArgumentException($"{at}: {type} takes exactly {type.Size} bytes, not {fixedBytes.Length}");
                }

                WritePadded(output, fixedBytes);
                break;
            case AbiKind.Bytes:
                WriteBytes(output, value as byte[] ?? throw Mismatch(type, value, at));
                break;
            case AbiKind.String:
                WriteBytes(output, Encoding.UTF8.GetBytes(value as string ?? throw Mismatch(type, value, at)));
                break;
            case AbiKind.FixedArray:
                var fixedItems = ToList(value, type, at);
                if (fixedItems.Count != type.Size)
                {
                    throw new ArgumentException($"{at}: {type} takes exactly {type.Size} elements, not {fixedItems.Count}");
                }

                EncodeSequence(output, Enumerable.Repeat(type.Element!, fixedItems.Count).ToArray(), fixedItems, at);
                break;
            case AbiKind.DynamicArray:
                var items = ToList(value, type, at);
                WriteWord(output, items.Count);
                EncodeSequence(output, Enumerable.Repeat(type.Element!, items.Count).ToArray(), items, at);
                break;
            case AbiKind.Tuple:
                var fields = ToList(value, type, at);
                if (fields.Count != type.Components.Count)
                {
                    throw new ArgumentException($"{at}: {type} has {type.Components.Count} components, not {fields.Count}");
                }

                EncodeSequence(output, type.Components, fields, at);
                break;
        }
    }

    private static BigInteger ToInteger(object? value, AbiType type, string at) => value switch
    {
        BigInteger big => big,
        int i => i,
        long l => l,
        uint u => u,
        ulong ul => ul,
        short s => s,
        ushort us => us,
        byte by => by,
        sbyte sb => sb,
        _ => throw Mismatch(type, value, at),
    };

    private static void WriteInteger(MemoryStream output, AbiType type, BigInteger value, string at)
    {
        var bits = type.Size;
        var (min, max) = type.Kind == AbiKind.UInt
            ? (BigInteger.Zero, (BigInteger.One << bits) - 1)
            : (-(BigInteger.One << (bits - 1)), (BigInteger.One << (bits - 1)) - 1);
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(at, $"{at}: {value} does not fit {type} [{min}, {max}]");
        }

        WriteWord(output, value);
    }

    /// <summary>A 32-byte big-endian two's-complement word.</summary>
    internal static void WriteWord(Stream output, BigInteger value)
    {
        Span<byte> word = stackalloc byte[AbiType.WordSize];
        word.Fill(value.Sign < 0 ? (byte)0xff : (byte)0);
        var length = value.GetByteCount();
        if (length > AbiType.WordSize)
        {
            // Only an unsigned 256-bit value needs 33 bytes in two's complement (a leading 0x00 sign byte).
            value.TryWriteBytes(word, out _, isUnsigned: true, isBigEndian: true);
        }
        else
        {
            value.TryWriteBytes(word[(AbiType.WordSize - length)..], out _, isBigEndian: true);
        }

        output.Write(word);
    }

    private static void WriteBytes(MemoryStream output, byte[] bytes)
    {
        WriteWord(output, bytes.Length);
        WritePadded(output, bytes);
    }

    private static void WritePadded(MemoryStream output, byte[] bytes)
    {
        output.Write(bytes);
        var remainder = bytes.Length % AbiType.WordSize;
        if (remainder != 0)
        {
            output.Write(new byte[AbiType.WordSize - remainder]);
        }
    }

    private static List<object?> ToList(object? value, AbiType type, string at) => value switch
    {
        IReadOnlyList<object?> list => [.. list],
        IList list when value is not byte[] => list.Cast<object?>().ToList(),
        _ => throw Mismatch(type, value, at),
    };

    private static ArgumentException Mismatch(AbiType type, object? value, string at) =>
        new($"{at}: a {value?.GetType().Name ?? "null"} cannot be encoded as {type}");
}
