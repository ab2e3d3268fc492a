namespace VantaBot.Infrastructure.Evm.Abi;

/// <summary>One parameter of a function or event signature: its type, optional name, and (events only) whether it is indexed.</summary>
public sealed record AbiParameter(AbiType Type, string? Name, bool Indexed)
{
    /// <summary>Parses a comma-separated list such as "address indexed sender, uint256 amount".</summary>
    public static IReadOnlyList<AbiParameter> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return AbiType.SplitTopLevel(text)
            .Select(part =>
            {
                var (type, indexed, name) = AbiType.SplitParameter(part);
                return new AbiParameter(AbiType.Parse(type), name, indexed);
            })
            .ToArray();
    }

    public override string ToString() => Type.Canonical + (Indexed ? " indexed" : "") + (Name is null ? "" : " " + Name);
}
