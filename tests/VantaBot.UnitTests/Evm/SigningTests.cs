using System.Numerics;
using System.Security.Cryptography;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.UnitTests.Evm;

public sealed class SigningTests
{
    private const string AnvilKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private static readonly BigInteger HalfN = BigInteger.Parse(
        "57896044618658097711785492504343953926418782139537452191302581570759080747168");

    [Fact]
    public void Reproduces_the_EIP155_example_signature()
    {
        // https://eips.ethereum.org/EIPS/eip-155 "Example": nonce 9, gas price 20 gwei, gas 21000,
        // to 0x3535…35, value 1 ether, chain id 1, key 0x4646…46 → v = 37 (y parity 0) and the r, s below.
        var signingData = Rlp.Encode(RlpItem.List(
            RlpItem.Integer(9),
            RlpItem.Integer(20_000_000_000),
            RlpItem.Integer(21000),
            RlpItem.String(Enumerable.Repeat((byte)0x35, 20).ToArray()),
            RlpItem.Integer(BigInteger.Pow(10, 18)),
            RlpItem.String([]),
            RlpItem.Integer(1),
            RlpItem.Integer(0),
            RlpItem.Integer(0)));
        Hex.FromBytes(signingData).ShouldBe(
            "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080");
        var hash = Keccak256.Hash(signingData);
        Hex.FromBytes(hash).ShouldBe("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");

        using var key = EvmPrivateKey.FromBytes(Enumerable.Repeat((byte)0x46, 32).ToArray());
        var signature = key.Sign(hash);

        signature.R.ShouldBe(BigInteger.Parse("18515461264373351373200002665853028612451056578545711640558177340181847433846"));
        signature.S.ShouldBe(BigInteger.Parse("46948507304638947509940763649030358759909902576025900602547168820602576006531"));
        signature.YParity.ShouldBe((byte)0);
        EvmSignature.RecoverSigner(hash, signature).ShouldBe(key.Address);
        Hex.FromBytes(signature.ToBytes65()).ShouldBe(
            "0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276"
            + "67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83" + "1b");
    }

    [Fact]
    public void Signing_is_deterministic()
    {
        using var key = EvmPrivateKey.FromBytes(Hex.ToBytes(AnvilKey));
        var hash = Keccak256.Hash("deterministic");
        key.Sign(hash).ShouldBe(key.Sign(hash));
        key.Sign(Keccak256.Hash("other")).ShouldNotBe(key.Sign(hash));
    }

    [Fact]
    public void Signatures_are_low_s_and_recover_to_the_signer_for_many_hashes()
    {
        using var key = EvmPrivateKey.Generate();
        var parities = new HashSet<byte>();
        for (var i = 0; i < 200; i++)
        {
            var hash = RandomNumberGenerator.GetBytes(32);
            var signature = key.Sign(hash);
            signature.S.ShouldBeLessThanOrEqualTo(HalfN);
            signature.IsLowS.ShouldBeTrue();
            EvmSignature.RecoverSigner(hash, signature).ShouldBe(key.Address);
            parities.Add(signature.YParity);
            var compact = signature.ToBytes65();
            new BigInteger(compact.AsSpan(0, 32), isUnsigned: true, isBigEndian: true).ShouldBe(signature.R);
            new BigInteger(compact.AsSpan(32, 32), isUnsigned: true, isBigEndian: true).ShouldBe(signature.S);
        }

        parities.Count.ShouldBe(2); // both recovery ids occur, so the flip on s-normalisation is exercised
    }

    [Fact]
    public void A_wrong_hash_or_parity_recovers_someone_else()
    {
        using var key = EvmPrivateKey.FromBytes(Hex.ToBytes(AnvilKey));
        var hash = Keccak256.Hash("message");
        var signature = key.Sign(hash);
        EvmSignature.RecoverSigner(Keccak256.Hash("tampered"), signature).ShouldNotBe(key.Address);
        var flipped = new EvmSignature(signature.R, signature.S, (byte)(1 - signature.YParity));
        EvmSignature.RecoverSigner(hash, flipped).ShouldNotBe(key.Address);
    }

    [Fact]
    public void Out_of_range_inputs_are_refused_without_key_material_in_messages()
    {
        using var key = EvmPrivateKey.FromBytes(Hex.ToBytes(AnvilKey));
        var exception = Should.Throw<ArgumentException>(() => key.Sign(new byte[31]));
        exception.Message.ShouldNotContain("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        Should.Throw<ArgumentOutOfRangeException>(() => new EvmSignature(0, 1, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => new EvmSignature(1, 1, 2));
        key.ToString().ShouldNotContain("ac0974");
    }
}
