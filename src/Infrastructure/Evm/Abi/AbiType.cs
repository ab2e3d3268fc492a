using System.Globalization;

namespace VantaBot.Infrastructure.Evm.Abi;

/// <summary>
/// One Solidity ABI type, parsed from its text ("uint24", "bytes32", "address[]", "(uint256,address)[3]"…).
/// <see cref="Canonical"/> is the form that selectors and event topics hash ("uint" becomes "uint256").
/// </summary>
public sealed class AbiType : IEquatable<AbiType>
{
    public const int WordSize = 32;

    public const int MaxHeadSize = 1 << 20;

    public const int MaxNesting = 32;

    private AbiType(AbiKind kind, int size, AbiType? element, IReadOnlyList<AbiType> components)
    {
        Kind = kind;
        Size = size;
        Element = element;
        Components = components;
        IsDynamic = kind switch
        {
            AbiKind.Bytes or AbiKind.String or AbiKind.DynamicArray => true,
            AbiKind.FixedArray => element!.IsDynamic,
            AbiKind.Tuple => components.Any(c => c.IsDynamic),
            _ => false,
        };
        var headSize = IsDynamic ? WordSize : kind switch
        {
            AbiKind.FixedArray => (long)size * element!.HeadSize,
            AbiKind.Tuple => components.Sum(c => (long)c.HeadSize),
            _ => WordSize,
        };

        // A bound on static sizes keeps forged or mistyped signatures from describing gigabyte-sized heads.
        if (headSize > MaxHeadSize)
        {
            throw new FormatException($"a static ABI type of {headSize} bytes is larger than the {MaxHeadSize}-byte limit");
        }

        HeadSize = (int)headSize;
        Canonical = kind switch
        {
            AbiKind.UInt => $"uint{size}",
            AbiKind.Int => $"int{size}",
            AbiKind.Address => "address",
            AbiKind.Bool => "bool",
            AbiKind.FixedBytes => $"bytes{size}",
            AbiKind.Bytes => "bytes",
            AbiKind.String => "string",
            AbiKind.FixedArray => $"{element!.Canonical}[{size}]",
            AbiKind.DynamicArray => $"{element!.Canonical}[]",
            _ => "(" + string.Join(",", components.Select(c => c.Canonical)) + ")",
        };
    }

    public AbiKind Kind { get; }

    /// <summary>Bits for uint/int, bytes for bytesN, the length of a fixed array; 0 otherwise.</summary>
    public int Size { get; }

    /// <summary>The element type of an array.</summary>
    public AbiType? Element { get; }

    /// <summary>The component types of a tuple (empty for every other kind).</summary>
    public IReadOnlyList<AbiType> Components { get; }

    /// <summary>True when the value lives in the tail and its head slot holds an offset.</summary>
    public bool IsDynamic { get; }

    /// <summary>Bytes the type occupies in the head of its enclosing tuple.</summary>
    public int HeadSize { get; }

    public string Canonical { get; }

    public static AbiType UInt(int bits) => new(AbiKind.UInt, CheckBits(bits), null, []);

    public static AbiType Int(int bits) => new(AbiKind.Int, CheckBits(bits), null, []);

    public static AbiType Address { get; } = new(AbiKind.Address, 0, null, []);

    public static AbiType Bool { get; } = new(AbiKind.Bool, 0, null, []);

    public static AbiType Bytes { get; } = new(AbiKind.Bytes, 0, null, []);

    public static AbiType String { get; } = new(AbiKind.String, 0, null, []);

    public static AbiType FixedBytes(int length) => length is >= 1 and <= 32
        ? new AbiType(AbiKind.FixedBytes, length, null, [])
        : throw new FormatException($"bytes{length}: fixed byte arrays are bytes1 to bytes32");

    public static AbiType ArrayOf(AbiType element) => new(AbiKind.DynamicArray, 0, element, []);

    public static AbiType ArrayOf(AbiType element, int length) => length >= 1
        ? new AbiType(AbiKind.FixedArray, length, element, [])
        : throw new FormatException("a fixed array has at least one element");

    public static AbiType Tuple(params AbiType[] components) => new(AbiKind.Tuple, 0, null, components.ToArray());

    /// <summary>Parses a type; tuple components may carry names ("(address tokenIn, uint24 fee)"), which are dropped.</summary>
    public static AbiType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Nesting bounds the parser's recursion; real signatures nest a handful of levels.
        if (text.Count(c => c is '(' or '[') > MaxNesting * 4 || Depth(text) > MaxNesting)
        {
            throw new FormatException($"'{(text.Length > 40 ? text[..40] + "…" : text)}' nests deeper than {MaxNesting} levels");
        }

        return ParseCore(text.Trim());
    }

    private static AbiType ParseCore(string text)
    {
        if (text.Length == 0)
        {
            throw new FormatException("an ABI type is missing");
        }

        if (text.EndsWith(']'))
        {
            var open = text.LastIndexOf('[');
            if (open <= 0)
            {
                throw new FormatException($"'{text}' has an unmatched ']'");
            }

            var element = ParseCore(text[..open].TrimEnd());
            var lengthText = text[(open + 1)..^1].Trim();
            if (lengthText.Length == 0)
            {
                return ArrayOf(element);
            }

            if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > 1 << 16)
            {
                throw new FormatException($"'{text}' has an invalid array length '{lengthText}'");
            }

            return ArrayOf(element, length);
        }

        if (text.StartsWith('('))
        {
            if (!text.EndsWith(')'))
            {
                throw new FormatException($"'{text}' is a tuple without its closing ')'");
            }

            var inner = text[1..^1];
            var parts = SplitTopLevel(inner);
            return Tuple(parts.Select(p => ParseCore(StripName(p))).ToArray());
        }

        return ParseElementary(text);
    }

    private static AbiType ParseElementary(string text)
    {
        switch (text)
        {
            case "address": return Address;
            case "bool": return Bool;
            case "bytes": return Bytes;
            case "string": return String;
            case "uint": return UInt(256);
            case "int": return Int(256);
        }

        if (text.StartsWith("uint", StringComparison.Ordinal) && TryNumber(text[4..], out var ubits))
        {
            return UInt(ubits);
        }

        if (text.StartsWith("int", StringComparison.Ordinal) && TryNumber(text[3..], out var ibits))
        {
            return Int(ibits);
        }

        if (text.StartsWith("bytes", StringComparison.Ordinal) && TryNumber(text[5..], out var length))
        {
            return FixedBytes(length);
        }

        throw new FormatException($"'{text}' is not a supported ABI type");
    }

    /// <summary>Splits on commas outside parentheses; an empty text is an empty list.</summary>
    internal static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        if (text.Trim().Length == 0)
        {
            return parts;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth < 0)
                    {
                        throw new FormatException($"'{text}' has an unmatched ')'");
                    }

                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0)
        {
            throw new FormatException($"'{text}' has an unmatched '('");
        }

        parts.Add(text[start..].Trim());
        return parts;
    }

    /// <summary>Drops a trailing parameter name ("uint24 fee" → "uint24"); keeps the type text intact.</summary>
    internal static string StripName(string parameter)
    {
        var (type, _, _) = SplitParameter(parameter);
        return type;
    }

    /// <summary>Splits "type [indexed] [name]" into its parts, respecting parentheses in the type.</summary>
    internal static (string Type, bool Indexed, string? Name) SplitParameter(string parameter)
    {
        parameter = parameter.Trim();
        var typeEnd = parameter.Length;
        var depth = 0;
        for (var i = 0; i < parameter.Length; i++)
        {
            var c = parameter[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (char.IsWhiteSpace(c) && depth == 0)
            {
                // "(a,b) []" is not valid Solidity, so the first top-level blank ends the type.
                typeEnd = i;
                break;
            }
        }

        var type = parameter[..typeEnd];
        var rest = parameter[typeEnd..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var indexed = false;
        string? name = null;
        foreach (var word in rest)
        {
            if (word == "indexed")
            {
                indexed = true;
            }
            else if (word is "memory" or "calldata" or "storage" or "payable")
            {
                continue;
            }
            else if (name is null && IsIdentifier(word))
            {
                name = word;
            }
            else
            {
                throw new FormatException($"'{parameter}' is not 'type [indexed] [name]'");
            }
        }

        return (type, indexed, name);
    }

    private static int Depth(string text)
    {
        int depth = 0, max = 0;
        foreach (var c in text)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            max = Math.Max(max, depth);
        }

        return max;
    }

    private static bool IsIdentifier(string word) =>
        word.Length > 0 && (char.IsAsciiLetter(word[0]) || word[0] is '_' or '$')
        && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');

    private static bool TryNumber(string digits, out int value) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value)
        && digits.Length > 0 && digits[0] != '0';

    private static int CheckBits(int bits) => bits is >= 8 and <= 256 && bits % 8 == 0
        ? bits
        : throw new FormatException($"{bits} bits: integer widths are multiples of 8 from 8 to 256");

    public bool Equals(AbiType? other) => other is not null && Canonical == other.Canonical;

    public override bool Equals(object? obj) => Equals(obj as AbiType);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Canonical);

    public override string ToString() => Canonical;
}
