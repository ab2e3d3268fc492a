using System.Numerics;

namespace VantaBot.Infrastructure.Evm.Primitives;

/// <summary>
/// An unsigned EIP-1559 (type 2) transaction with an empty access list. <see cref="To"/> is null for a contract
/// creation. Amounts are raw units (wei, gas).
/// </summary>
public sealed record Eip1559Transaction(
    BigInteger ChainId,
    BigInteger Nonce,
    BigInteger MaxPriorityFeePerGas,
    BigInteger MaxFeePerGas,
    BigInteger GasLimit,
    EvmAddress? To,
    BigInteger Value,
    byte[] Data)
{
    public const byte TypeByte = 0x02;

    /// <summary>keccak256(0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList])).</summary>
    public byte[] SigningHash() => Keccak256.Hash(Typed(Rlp.Encode(RlpItem.List(Fields()))));

    public SignedTransaction Sign(EvmPrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (MaxPriorityFeePerGas > MaxFeePerGas)
        {
            throw new InvalidOperationException("the priority fee cannot exceed the max fee per gas");
        }

        var signature = key.Sign(SigningHash());
        var fields = Fields();
        fields.Add(RlpItem.Integer(signature.YParity));
        fields.Add(RlpItem.Integer(signature.R));
        fields.Add(RlpItem.Integer(signature.S));
        var raw = Typed(Rlp.Encode(RlpItem.List(fields)));
        return new SignedTransaction(raw, Hex.FromBytes(Keccak256.Hash(raw)), key.Address, this, signature);
    }

    internal List<RlpItem> Fields() =>
    [
        RlpItem.Integer(ChainId),
        RlpItem.Integer(Nonce),
        RlpItem.Integer(MaxPriorityFeePerGas),
        RlpItem.Integer(MaxFeePerGas),
        RlpItem.Integer(GasLimit),
        To is { } to ? RlpItem.String(to.ToBytes()) : RlpItem.String([]),
        RlpItem.Integer(Value),
        RlpItem.String(Data),
        RlpItem.List(),
    ];

    internal static byte[] Typed(byte[] payload)
    {
        var typed = new byte[payload.Length + 1];
        typed[0] = TypeByte;
        payload.CopyTo(typed, 1);
        return typed;
    }

    public override string ToString() =>
        $"Eip1559Transaction(chain {ChainId}, nonce {Nonce}, to {(To?.ToString() ?? "(create)")}, value {Value}, " +
        $"gas {GasLimit}, maxFee {MaxFeePerGas}, tip {MaxPriorityFeePerGas}, data {Data.Length} bytes)";
}
