using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.UnitTests.Evm;

public sealed class Eip1559TransactionTests
{
    private const string AnvilKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    // ethereumjs-monorepo packages/tx/test/json/eip1559.json (commit ef29902), vectors 0 and 1: chain id 7822,
    // to 0x…aaaa, empty data and access list, key 0x8f2a…be63. "signedTransactionRLP" there wraps these raw bytes in
    // an RLP string; the raw transaction is the payload.
    private const string VectorKey = "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63";

    public static TheoryData<int, int, int, int, int, string> EthereumJsVectors() => new()
    {
        {
            819, 43203529, 75853, 121212, 35552,
            "0x02f870821e8e8203338301284d8301d97c828ae094000000000000000000000000000000000000aaaa8402933bc980c080a0d067f2167008c59219652f91cbf8788dbca5f771f6e91e2b7657e85b78b472e0a01d305af9fe81fdba43f0dfcd400ed24dcace0a7e30d4e85701dcaaf484cd079e"
        },
        {
            353, 61901619, 38850, 136295, 32593,
            "0x02f86f821e8e8201618297c283021467827f5194000000000000000000000000000000000000aaaa8403b08b3380c001a004205678f13fc1d7b10feea6513dfa76e24418b6e08097d95c6f93a3b64e536da01d45ad61bfece43862de2cce7d2575a8c1d08c26c87f3cb5f26d7b0be54a91b2"
        },
    };

    [Theory]
    [MemberData(nameof(EthereumJsVectors))]
    public void Signs_the_published_ethereumjs_vectors_byte_for_byte(
        int nonce, int value, int tip, int maxFee, int gas, string expectedRaw)
    {
        using var key = EvmPrivateKey.FromBytes(Hex.ToBytes(VectorKey));
        var transaction = new Eip1559Transaction(
            7822, nonce, tip, maxFee, gas, EvmAddress.Parse("0x000000000000000000000000000000000000aaaa"), value, []);

        var signed = transaction.Sign(key);

        Hex.FromBytes(signed.Raw).ShouldBe(expectedRaw);
        var decoded = SignedTransaction.Decode(Hex.ToBytes(expectedRaw));
        decoded.From.ShouldBe(key.Address);
        decoded.Transaction.Nonce.ShouldBe(new BigInteger(nonce));
        decoded.Transaction.Value.ShouldBe(new BigInteger(value));
        decoded.Hash.ShouldBe(signed.Hash);
    }

    [Fact]
    public void The_transaction_hash_is_the_keccak_of_the_raw_bytes()
    {
        // Vector 0 of the same file publishes its hash.
        var raw = Hex.ToBytes((string)EthereumJsVectors().First()[5]);
        SignedTransaction.Decode(raw).Hash.ShouldBe("0xa3bf78ff247cad934aa5fb13e05f11e59c93511523ff8a622e59c3a34700e5c8");
    }

    [Fact]
    public void Encode_decode_reencode_round_trips_including_contract_creation()
    {
        using var key = EvmPrivateKey.FromBytes(Hex.ToBytes(AnvilKey));
        foreach (var to in new EvmAddress?[] { EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), null })
        {
            var transaction = new Eip1559Transaction(
                31337, 0, 1_000_000_000, 50_000_000_000, 21000, to, BigInteger.Pow(10, 18), [0xde, 0xad, 0xbe, 0xef]);
            var signed = transaction.Sign(key);

            signed.Raw[0].ShouldBe((byte)0x02);
            signed.From.ShouldBe(key.Address);
            var decoded = SignedTransaction.Decode(signed.Raw);
            decoded.From.ShouldBe(key.Address);
            decoded.Transaction.To.ShouldBe(to);
            decoded.Transaction.Data.ShouldBe(transaction.Data);
            decoded.Signature.ShouldBe(signed.Signature);
            decoded.Transaction.Sign(key).Raw.ShouldBe(signed.Raw);
            decoded.Hash.ShouldBe(signed.Hash);
        }
    }

    [Fact]
    public void Non_type_2_and_malformed_input_is_refused()
    {
        using var key = EvmPrivateKey.FromBytes(Hex.ToBytes(AnvilKey));
        var raw = new Eip1559Transaction(1, 1, 1, 2, 21000, EvmAddress.Zero, 1, []).Sign(key).Raw;

        Should.Throw<RlpException>(() => SignedTransaction.Decode([])).Message.ShouldContain("empty");
        var legacy = (byte[])raw.Clone();
        legacy[0] = 0x01;
        Should.Throw<RlpException>(() => SignedTransaction.Decode(legacy)).Message.ShouldContain("not EIP-1559");
        Should.Throw<RlpException>(() => SignedTransaction.Decode([.. raw, 0x00])).Message.ShouldContain("trailing");
        Should.Throw<RlpException>(() => SignedTransaction.Decode(raw[..^1]));

        // Twelve fields but a high s: the malleable twin of a valid signature is refused.
        var decoded = SignedTransaction.Decode(raw);
        var n = BigInteger.Parse("115792089237316195423570985008687907852837564279074904382605163141518161494337");
        var fields = Rlp.Decode(raw.AsSpan(1)).Items.Take(9).ToList();
        fields.Add(RlpItem.Integer(1 - decoded.Signature.YParity));
        fields.Add(RlpItem.Integer(decoded.Signature.R));
        fields.Add(RlpItem.Integer(n - decoded.Signature.S));
        byte[] highS = [0x02, .. Rlp.Encode(RlpItem.List(fields))];
        Should.Throw<RlpException>(() => SignedTransaction.Decode(highS)).Message.ShouldContain("out of range");
    }
}
