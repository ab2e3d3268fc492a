namespace VantaBot.Infrastructure.Evm.Abi;

/// <summary>The families of Solidity ABI types.</summary>
public enum AbiKind
{
    UInt,
    Int,
    Address,
    Bool,
    FixedBytes,
    Bytes,
    String,
    FixedArray,
    DynamicArray,
    Tuple,
}
