using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Abi;

/// <summary>
/// A contract function from its human-readable signature, e.g.
/// "getAmountsOut(uint256 amountIn, address[] path) view returns (uint256[] amounts)".
/// The selector is the first 4 bytes of keccak256 of the canonical "name(type,…)".
/// </summary>
public sealed class AbiFunction
{
    private AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter> outputs)
    {
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        Signature = $"{name}({string.Join(",", inputs.Select(p => p.Type.Canonical))})";
        Selector = Keccak256.Hash(Signature)[..4];
    }

    public string Name { get; }

    public IReadOnlyList<AbiParameter> Inputs { get; }

    public IReadOnlyList<AbiParameter> Outputs { get; }

    /// <summary>The canonical "name(type,…)" that the selector hashes.</summary>
    public string Signature { get; }

    public byte[] Selector { get; }

    public string SelectorHex => Hex.FromBytes(Selector);

    public static AbiFunction Parse(string text)
    {
        var (name, inputs, rest) = AbiSignature.Split(text, "function");
        IReadOnlyList<AbiParameter> outputs = [];
        var returnsAt = rest.IndexOf("returns", StringComparison.Ordinal);
        var modifiers = returnsAt < 0 ? rest : rest[..returnsAt];
        foreach (var word in modifiers.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word is not ("view" or "pure" or "payable" or "nonpayable" or "external" or "public"))
            {
                throw new FormatException($"'{word}' is not a function modifier");
            }
        }

        if (returnsAt >= 0)
        {
            var returns = rest[(returnsAt + "returns".Length)..].Trim();
            if (!returns.StartsWith('(') || AbiSignature.MatchingParenthesis(returns, 0) != returns.Length - 1)
            {
                throw new FormatException($"'returns {returns}' is not 'returns (types)'");
            }

            outputs = AbiParameter.ParseList(returns[1..^1]);
        }

        return new AbiFunction(name, AbiParameter.ParseList(inputs), outputs);
    }

    /// <summary>Call data: selector ‖ ABI-encoded arguments.</summary>
    public byte[] EncodeCall(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != Inputs.Count)
        {
            throw new ArgumentException($"{Signature} takes {Inputs.Count} argument(s), not {args.Length}", nameof(args));
        }

        return [.. Selector, .. AbiEncoder.Encode(Types(Inputs), args)];
    }

    /// <summary>Decodes call data made by <see cref="EncodeCall"/> (selector checked).</summary>
    public object?[] DecodeCall(ReadOnlySpan<byte> callData)
    {
        if (callData.Length < 4 || !callData[..4].SequenceEqual(Selector))
        {
            throw new AbiDecodingException($"call data does not start with the selector of {Signature} ({SelectorHex})");
        }

        return AbiDecoder.Decode(Types(Inputs), callData[4..]);
    }

    /// <summary>Decodes the return data of an eth_call.</summary>
    public object?[] DecodeOutput(ReadOnlySpan<byte> returnData) => AbiDecoder.Decode(Types(Outputs), returnData);

    public override string ToString() => Signature;

    private static AbiType[] Types(IReadOnlyList<AbiParameter> parameters) => parameters.Select(p => p.Type).ToArray();
}
