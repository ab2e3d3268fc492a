using System.Numerics;
using System.Text;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Abi;

/// <summary>
/// Strict Solidity ABI decoding of data from nodes and contracts we do not control. Values come back as the encoder
/// takes them: BigInteger, <see cref="EvmAddress"/>, bool, byte[], string and object?[] for arrays and tuples.
/// Every offset and length is bounds-checked before use, padding must be zero, and the total number of decoded
/// values is capped by the data's size, so forged lengths or offsets that alias the same tail cannot force huge
/// allocations. Anything wrong throws <see cref="AbiDecodingException"/> naming the rule and the position.
/// </summary>
public static class AbiDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        var headSize = types.Sum(t => t.HeadSize);
        if (data.Length < headSize)
        {
            throw new AbiDecodingException($"{data.Length} bytes of data cannot hold the {headSize}-byte head of ({string.Join(",", types)})");
        }

        // Honest data spends at least one word per charged value (see DecodeValue); the spare is slack, not a need.
        var budget = (data.Length / AbiType.WordSize) + 16;
        return DecodeSequence(types, data, 0, ref budget, "");
    }

    /// <summary>One value encoded as a single-element sequence.</summary>
    public static object? Decode(AbiType type, ReadOnlySpan<byte> data) => Decode([type], data)[0];

    private static object?[] DecodeSequence(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data, int start, ref int budget, string path)
    {
        var values = new object?[types.Count];
        var head = start;
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            var at = $"{path}[{i}]";
            if (type.IsDynamic)
            {
                var offset = ReadLength(data, head, $"offset of {at}");
                if (offset > data.Length - start)
                {
                    throw new AbiDecodingException($"{at}: offset {offset} points past the end of the data");
                }

                values[i] = DecodeValue(type, data, start + offset, ref budget, at);
            }
            else
            {
                values[i] = DecodeValue(type, data, head, ref budget, at);
            }

            head += type.HeadSize;
        }

        return values;
    }

    private static object? DecodeValue(AbiType type, ReadOnlySpan<byte> data, int position, ref int budget, string at)
    {
        // Charged per value that owns a word (leaves, and the length word of bytes, strings and dynamic arrays);
        // fixed arrays and tuples own no word of their own, their contents are charged instead.
        if (type.Kind is not (AbiKind.FixedArray or AbiKind.Tuple) && --budget < 0)
        {
            throw new AbiDecodingException($"{at}: the data describes more values than it can hold (aliased offsets)");
        }

        switch (type.Kind)
        {
            case AbiKind.UInt:
                return ReadUInt(Word(data, position, at), type.Size, at);
            case AbiKind.Int:
                return ReadInt(Word(data, position, at), type.Size, at);
            case AbiKind.Address:
                var addressWord = Word(data, position, at);
                RequireZero(addressWord[..12], at, "address has non-zero bytes above its 20");
                return EvmAddress.FromBytes(addressWord[12..]);
            case AbiKind.Bool:
                var flag = ReadUInt(Word(data, position, at), 8, at);
                return flag > 1 ? throw new AbiDecodingException($"{at}: bool is {flag}, not 0 or 1") : flag == 1;
            case AbiKind.FixedBytes:
                var fixedWord = Word(data, position, at);
                RequireZero(fixedWord[type.Size..], at, $"{type} has non-zero padding");
                return fixedWord[..type.Size].ToArray();
            case AbiKind.Bytes:
                return ReadBytes(data, position, at);
            case AbiKind.String:
                try
                {
                    return StrictUtf8.GetString(ReadBytes(data, position, at));
                }
                catch (DecoderFallbackException exception)
                {
                    throw new AbiDecodingException($"{at}: string is not valid UTF-8", exception);
                }

            case AbiKind.FixedArray:
                return DecodeSequence(Repeat(type.Element!, type.Size), data, position, ref budget, at);
            case AbiKind.DynamicArray:
                var count = ReadLength(data, position, $"length of {at}");
                var body = position + AbiType.WordSize;

                // Every element takes at least one head word, so a count the remaining data cannot hold is forged.
                if (count > (data.Length - body) / type.Element!.HeadSize)
                {
                    throw new AbiDecodingException($"{at}: array length {count} does not fit the {data.Length - body} bytes that follow");
                }

                return DecodeSequence(Repeat(type.Element!, count), data, body, ref budget, at);
            default:
                return DecodeSequence(type.Components, data, position, ref budget, at);
        }
    }

    private static AbiType[] Repeat(AbiType element, int count) => Enumerable.Repeat(element, count).ToArray();

    private static ReadOnlySpan<byte> Word(ReadOnlySpan<byte> data, int position, string at)
    {
        if (position < 0 || position > data.Length - AbiType.WordSize)
        {
            throw new AbiDecodingException($"{at}: word at byte {position} runs past the end of the data ({data.Length} bytes)");
        }

        return data.Slice(position, AbiType.WordSize);
    }

    private static BigInteger ReadUInt(ReadOnlySpan<byte> word, int bits, string at)
    {
        var valueBytes = bits / 8;
        RequireZero(word[..(AbiType.WordSize - valueBytes)], at, $"uint{bits} has non-zero bytes above its {bits} bits");
        return new BigInteger(word, isUnsigned: true, isBigEndian: true);
    }

    private static BigInteger ReadInt(ReadOnlySpan<byte> word, int bits, string at)
    {
        var valueBytes = bits / 8;
        var negative = (word[AbiType.WordSize - valueBytes] & 0x80) != 0;
        var fill = negative ? (byte)0xff : (byte)0;
        foreach (var b in word[..(AbiType.WordSize - valueBytes)])
        {
            if (b != fill)
            {
                throw new AbiDecodingException($"{at}: int{bits} is not sign-extended to 256 bits");
            }
        }

        return new BigInteger(word, isUnsigned: false, isBigEndian: true);
    }

    private static byte[] ReadBytes(ReadOnlySpan<byte> data, int position, string at)
    {
        var length = ReadLength(data, position, $"length of {at}");
        var start = position + AbiType.WordSize;
        var padded = (length + AbiType.WordSize - 1) / AbiType.WordSize * AbiType.WordSize;
        if (padded > data.Length - start)
        {
            throw new AbiDecodingException($"{at}: {length} bytes (padded {padded}) do not fit the {data.Length - start} that follow");
        }

        RequireZero(data.Slice(start + length, padded - length), at, "bytes have non-zero padding");
        return data.Slice(start, length).ToArray();
    }

    /// <summary>An offset or length word: must fit comfortably in an int (the data itself is smaller still).</summary>
    private static int ReadLength(ReadOnlySpan<byte> data, int position, string what)
    {
        var word = Word(data, position, what);
        RequireZero(word[..28], what, "is larger than any data could hold");
        var value = (word[28] << 24) | (word[29] << 16) | (word[30] << 8) | word[31];
        if (value < 0 || value > int.MaxValue - (2 * AbiType.WordSize))
        {
            throw new AbiDecodingException($"{what}: {(uint)value} is larger than any data could hold");
        }

        return value;
    }

    private static void RequireZero(ReadOnlySpan<byte> bytes, string at, string problem)
    {
        if (bytes.ContainsAnyExcept((byte)0))
        {
            throw new AbiDecodingException($"{at}: {problem}");
        }
    }
}
