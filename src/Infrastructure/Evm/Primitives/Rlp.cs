using System.Numerics;

namespace VantaBot.Infrastructure.Evm.Primitives;

/// <summary>
/// Recursive Length Prefix, Ethereum's serialisation (Yellow Paper, appendix B). Decoding is strict: it accepts only
/// the canonical encoding, exactly one item and nothing after it, because the bytes may come from anyone.
/// </summary>
public static class Rlp
{
    /// <summary>Lists nested deeper than this are refused so hostile input cannot exhaust the stack.</summary>
    public const int MaxDepth = 64;

    public static byte[] Encode(RlpItem item)
    {
        using var stream = new MemoryStream();
        Write(stream, item);
        return stream.ToArray();
    }

    public static byte[] EncodeBytes(ReadOnlySpan<byte> bytes) => Encode(RlpItem.String(bytes));

    public static byte[] EncodeInteger(BigInteger value) => Encode(RlpItem.Integer(value));

    public static RlpItem Decode(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            throw new RlpException("empty input holds no RLP item");
        }

        var position = 0;
        var item = ReadItem(input, ref position, 0);
        if (position != input.Length)
        {
            throw new RlpException($"{input.Length - position} trailing byte(s) after the RLP item");
        }

        return item;
    }

    private static void Write(MemoryStream stream, RlpItem item)
    {
        if (!item.IsList)
        {
            var bytes = item.Bytes;
            if (bytes.Length == 1 && bytes[0] < 0x80)
            {
                stream.WriteByte(bytes[0]);
                return;
            }

            WriteHeader(stream, 0x80, bytes.Length);
            stream.Write(bytes);
            return;
        }

        using var body = new MemoryStream();
        foreach (var child in item.Items)
        {
            Write(body, child);
        }

        WriteHeader(stream, 0xc0, (int)body.Length);
        body.Position = 0;
        body.CopyTo(stream);
    }

    private static void WriteHeader(MemoryStream stream, byte offset, int length)
    {
        if (length < 56)
        {
            stream.WriteByte((byte)(offset + length));
            return;
        }

        var lengthBytes = new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true);
        stream.WriteByte((byte)(offset + 55 + lengthBytes.Length));
        stream.Write(lengthBytes);
    }

    private static RlpItem ReadItem(ReadOnlySpan<byte> input, ref int position, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new RlpException($"lists nested deeper than {MaxDepth} levels");
        }

        var prefix = input[position];
        if (prefix < 0x80)
        {
            position++;
            return RlpItem.String(input.Slice(position - 1, 1));
        }

        var isList = prefix >= 0xc0;
        var shortBase = isList ? 0xc0 : 0x80;
        var at = position;
        int length;
        if (prefix - shortBase <= 55)
        {
            length = prefix - shortBase;
            position++;
        }
        else
        {
            var lengthOfLength = prefix - shortBase - 55;
            length = ReadLongLength(input, position + 1, lengthOfLength, at);
            position += 1 + lengthOfLength;
        }

        if (length > input.Length - position)
        {
            throw new RlpException($"item at offset {at} claims {length} bytes but only {input.Length - position} remain");
        }

        var payload = input.Slice(position, length);
        position += length;
        if (!isList)
        {
            if (length == 1 && payload[0] < 0x80)
            {
                throw new RlpException($"single byte 0x{payload[0]:x2} at offset {at} must be encoded as itself");
            }

            return RlpItem.String(payload);
        }

        var items = new List<RlpItem>();
        var inner = 0;
        while (inner < payload.Length)
        {
            items.Add(ReadItem(payload, ref inner, depth + 1));
        }

        return RlpItem.List(items);
    }

    private static int ReadLongLength(ReadOnlySpan<byte> input, int start, int lengthOfLength, int at)
    {
        if (lengthOfLength > 4 || lengthOfLength > input.Length - start)
        {
            throw new RlpException($"length field of the item at offset {at} is truncated or longer than 4 bytes");
        }

        if (input[start] == 0)
        {
            throw new RlpException($"length of the item at offset {at} has a leading zero byte (non-canonical)");
        }

        long length = 0;
        for (var i = 0; i < lengthOfLength; i++)
        {
            length = (length << 8) | input[start + i];
        }

        if (length < 56)
        {
            throw new RlpException($"item at offset {at} uses the long form for a length of {length} (non-canonical)");
        }

        if (length > int.MaxValue)
        {
            throw new RlpException($"item at offset {at} claims an impossible length of {length} bytes");
        }

        return (int)length;
    }
}
