namespace VantaBot.Infrastructure.Evm.Primitives;

/// <summary>
/// A signed type-2 transaction: the exact bytes for eth_sendRawTransaction, its hash (0x-prefixed keccak of the raw
/// bytes, what nodes report), the signer and the parts it was made from.
/// </summary>
public sealed record SignedTransaction(
    byte[] Raw,
    string Hash,
    EvmAddress From,
    Eip1559Transaction Transaction,
    EvmSignature Signature)
{
    /// <summary>
    /// Parses raw type-2 bytes strictly (canonical RLP, twelve fields, empty access list, low S) and recovers the
    /// sender. Throws <see cref="RlpException"/> for anything else.
    /// </summary>
    public static SignedTransaction Decode(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Length == 0 || raw[0] != Eip1559Transaction.TypeByte)
        {
            throw new RlpException(raw.Length == 0
                ? "empty input is not a transaction"
                : $"transaction type 0x{raw[0]:x2} is not EIP-1559 (0x02)");
        }

        var fields = Rlp.Decode(raw.AsSpan(1)).Items;
        if (fields.Count != 12)
        {
            throw new RlpException($"a type-2 transaction has 12 fields, not {fields.Count}");
        }

        var toBytes = fields[5].Bytes;
        if (toBytes.Length is not (0 or EvmAddress.Size))
        {
            throw new RlpException($"the recipient is {toBytes.Length} bytes, not 20 (or empty for a creation)");
        }

        if (fields[8].Items.Count != 0)
        {
            throw new RlpException("transactions with an access list are not supported");
        }

        var transaction = new Eip1559Transaction(
            fields[0].ToInteger(),
            fields[1].ToInteger(8),
            fields[2].ToInteger(),
            fields[3].ToInteger(),
            fields[4].ToInteger(8),
            toBytes.Length == 0 ? null : EvmAddress.FromBytes(toBytes),
            fields[6].ToInteger(),
            fields[7].Bytes);

        var yParity = fields[9].ToInteger(1);
        var r = fields[10].ToInteger();
        var s = fields[11].ToInteger();
        if (yParity > 1 || r.IsZero || r >= Secp256k1.N || s.IsZero || s > Secp256k1.HalfN)
        {
            throw new RlpException("the signature is out of range (y parity 0/1, 0 < r < n, 0 < s ≤ n/2)");
        }

        var signature = new EvmSignature(r, s, (byte)yParity);
        EvmAddress from;
        try
        {
            from = EvmSignature.RecoverSigner(transaction.SigningHash(), signature);
        }
        catch (ArgumentException exception)
        {
            throw new RlpException("the signature does not recover to a sender", exception);
        }

        return new SignedTransaction((byte[])raw.Clone(), Hex.FromBytes(Keccak256.Hash(raw)), from, transaction, signature);
    }

    public override string ToString() => $"SignedTransaction({Hash} from {From}, {Transaction})";
}
