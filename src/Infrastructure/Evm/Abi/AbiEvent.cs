using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Abi;

/// <summary>
/// A contract event from its human-readable signature, e.g. "Transfer(address indexed from, address indexed to,
/// uint256 value)". Topic0 is keccak256 of the canonical "Name(type,…)"; indexed parameters come from the other
/// topics, the rest from the data.
/// </summary>
public sealed class AbiEvent
{
    private AbiEvent(string name, IReadOnlyList<AbiParameter> parameters)
    {
        Name = name;
        Parameters = parameters;
        Signature = $"{name}({string.Join(",", parameters.Select(p => p.Type.Canonical))})";
        Topic0 = Keccak256.Hash(Signature);
    }

    public string Name { get; }

    public IReadOnlyList<AbiParameter> Parameters { get; }

    public string Signature { get; }

    public byte[] Topic0 { get; }

    public string Topic0Hex => Hex.FromBytes(Topic0);

    public static AbiEvent Parse(string text)
    {
        var (name, inputs, rest) = AbiSignature.Split(text, "event");
        if (rest.Length > 0)
        {
            throw new FormatException($"'{rest}' after the parameters of event {name} is not supported");
        }

        var parameters = AbiParameter.ParseList(inputs);
        if (parameters.Count(p => p.Indexed) > 3)
        {
            throw new FormatException($"event {name} indexes more than 3 parameters");
        }

        return new AbiEvent(name, parameters);
    }

    /// <summary>
    /// Decodes a log into values by parameter name (unnamed parameters are "arg0", "arg1"… by position).
    /// Indexed parameters of dynamic type (string, bytes, arrays, tuples) are only stored as their keccak hash,
    /// so they come back as the 32-byte hash.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Decode(IReadOnlyList<byte[]> topics, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(data);
        var indexedCount = Parameters.Count(p => p.Indexed);
        if (topics.Count != indexedCount + 1)
        {
            throw new AbiDecodingException($"{Signature} has {indexedCount + 1} topics, the log has {topics.Count}");
        }

        if (!topics[0].AsSpan().SequenceEqual(Topic0))
        {
            throw new AbiDecodingException($"the log's topic0 is not {Signature}");
        }

        var unindexed = AbiDecoder.Decode(Parameters.Where(p => !p.Indexed).Select(p => p.Type).ToArray(), data);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        int topic = 1, datum = 0;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            object? value;
            if (!parameter.Indexed)
            {
                value = unindexed[datum++];
            }
            else
            {
                var word = topics[topic++];
                if (word.Length != 32)
                {
                    throw new AbiDecodingException($"topic {topic - 1} is {word.Length} bytes, not 32");
                }

                value = parameter.Type.IsDynamic || parameter.Type.Kind is AbiKind.FixedArray or AbiKind.Tuple
                    ? word.ToArray()
                    : AbiDecoder.Decode(parameter.Type, word);
            }

            values[parameter.Name ?? $"arg{i}"] = value;
        }

        return values;
    }

    public override string ToString() => Signature;
}
