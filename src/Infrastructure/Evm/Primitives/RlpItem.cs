using System.Numerics;

namespace VantaBot.Infrastructure.Evm.Primitives;

/// <summary>
/// One decoded RLP item: either a byte string (<see cref="Bytes"/>) or a list (<see cref="Items"/>), never both.
/// Build items with <see cref="String(ReadOnlySpan{byte})"/>, <see cref="Integer"/> and <see cref="List(RlpItem[])"/>.
/// </summary>
public sealed class RlpItem
{
    private readonly byte[]? _bytes;
    private readonly IReadOnlyList<RlpItem>? _items;

    private RlpItem(byte[]? bytes, IReadOnlyList<RlpItem>? items)
    {
        _bytes = bytes;
        _items = items;
    }

    public bool IsList => _items is not null;

    /// <summary>The byte string; throws <see cref="RlpException"/> when the item is a list.</summary>
    public byte[] Bytes => _bytes ?? throw new RlpException("expected an RLP byte string, found a list");

    /// <summary>The list's items; throws <see cref="RlpException"/> when the item is a byte string.</summary>
    public IReadOnlyList<RlpItem> Items => _items ?? throw new RlpException("expected an RLP list, found a byte string");

    public static RlpItem String(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), null);

    /// <summary>A non-negative integer as its minimal big-endian bytes (zero is the empty string, 0x80).</summary>
    public static RlpItem Integer(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "RLP integers are non-negative");
        }

        return new RlpItem(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true), null);
    }

    public static RlpItem List(params RlpItem[] items) => new(null, items.ToArray());

    public static RlpItem List(IEnumerable<RlpItem> items) => new(null, items.ToArray());

    /// <summary>
    /// Reads the byte string as a canonical integer: no leading zero byte (so each value has one encoding) and at
    /// most <paramref name="maxBytes"/> bytes.
    /// </summary>
    public BigInteger ToInteger(int maxBytes = 32)
    {
        var bytes = Bytes;
        if (bytes.Length > maxBytes)
        {
            throw new RlpException($"integer of {bytes.Length} bytes exceeds the {maxBytes}-byte limit");
        }

        if (bytes.Length > 0 && bytes[0] == 0)
        {
            throw new RlpException("integer has a leading zero byte (non-canonical)");
        }

        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    public override string ToString() =>
        _items is null ? Hex.FromBytes(_bytes!) : "[" + string.Join(", ", _items) + "]";
}
