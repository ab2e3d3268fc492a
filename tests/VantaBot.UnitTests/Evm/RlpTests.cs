using System.Numerics;
using System.Text;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.UnitTests.Evm;

/// <summary>Vectors from the RLP specification (ethereum.org "Recursive-length prefix (RLP) serialization").</summary>
public sealed class RlpTests
{
    private static RlpItem Str(string text) => RlpItem.String(Encoding.ASCII.GetBytes(text));

    public static TheoryData<string, string> SpecVectors() => new()
    {
        { "dog", "0x83646f67" },
        { "[cat,dog]", "0xc88363617483646f67" },
        { "empty string", "0x80" },
        { "empty list", "0xc0" },
        { "0", "0x80" },
        { "15", "0x0f" },
        { "1024", "0x820400" },
        { "set theory", "0xc7c0c1c0c3c0c1c0" },
        { "lorem", "0xb8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974" },
    };

    private static RlpItem Build(string name) => name switch
    {
        "dog" => Str("dog"),
        "[cat,dog]" => RlpItem.List(Str("cat"), Str("dog")),
        "empty string" => Str(""),
        "empty list" => RlpItem.List(),
        "0" => RlpItem.Integer(0),
        "15" => RlpItem.Integer(15),
        "1024" => RlpItem.Integer(1024),
        "set theory" => RlpItem.List(
            RlpItem.List(),
            RlpItem.List(RlpItem.List()),
            RlpItem.List(RlpItem.List(), RlpItem.List(RlpItem.List()))),
        "lorem" => Str("Lorem ipsum dolor sit amet, consectetur adipisicing elit"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Encodes_the_spec_vectors_and_decodes_them_back(string name, string expected)
    {
        var encoded = Rlp.Encode(Build(name));
        Hex.FromBytes(encoded).ShouldBe(expected);
        Rlp.Encode(Rlp.Decode(encoded)).ShouldBe(encoded);
    }

    [Fact]
    public void Integers_decode_to_their_values()
    {
        Rlp.Decode(Hex.ToBytes("0x820400")).ToInteger().ShouldBe(new BigInteger(1024));
        Rlp.Decode(Hex.ToBytes("0x80")).ToInteger().ShouldBe(BigInteger.Zero);
        Rlp.Decode(Hex.ToBytes("0x0f")).ToInteger().ShouldBe(new BigInteger(15));
        var big = BigInteger.Pow(2, 256) - 1;
        Rlp.Decode(Rlp.EncodeInteger(big)).ToInteger().ShouldBe(big);
    }

    [Fact]
    public void A_long_list_uses_the_long_form_and_round_trips()
    {
        var items = Enumerable.Range(0, 30).Select(i => RlpItem.Integer(1000 + i)).ToArray();
        var encoded = Rlp.Encode(RlpItem.List(items));
        encoded[0].ShouldBe((byte)0xf8); // 90-byte payload: one length byte
        Rlp.Decode(encoded).Items.Select(i => (int)i.ToInteger()).ShouldBe(Enumerable.Range(1000, 30));
    }

    [Theory]
    [InlineData("0x", "empty input")]
    [InlineData("0x8100", "encoded as itself")] // single byte < 0x80 wrapped in a header
    [InlineData("0x817f", "encoded as itself")]
    [InlineData("0xb80100", "long form")] // long form for a 1-byte string
    [InlineData("0xf80100", "long form")] // long form for an empty list
    [InlineData("0xb90038" + "00", "leading zero")] // length with a leading zero byte
    [InlineData("0x83646f", "only 2 remain")] // truncated string
    [InlineData("0x83646f6700", "trailing")] // a byte after the item
    [InlineData("0xc583646f67", "remain")] // list payload shorter than claimed
    [InlineData("0xc3836f", "remain")] // child overruns its list
    [InlineData("0xbf0102030405060708", "truncated or longer than 4 bytes")] // 8-byte length
    [InlineData("0xbb7fffffff", "remain")] // forged 2 GB length: refused before any allocation
    public void Hostile_input_is_refused_with_a_reason(string hex, string reason)
    {
        var exception = Should.Throw<RlpException>(() => Rlp.Decode(Hex.ToBytes(hex)));
        exception.Message.ShouldContain(reason);
    }

    [Fact]
    public void Deep_nesting_is_refused_instead_of_overflowing_the_stack()
    {
        var input = Enumerable.Repeat((byte)0xc1, 10_000).Append((byte)0xc0).ToArray();
        // Each 0xc1 claims one byte, so only the innermost is consistent: the nesting limit or a length error fires first.
        Should.Throw<RlpException>(() => Rlp.Decode(input));
        var item = RlpItem.List();
        for (var i = 0; i < 100; i++)
        {
            item = RlpItem.List(item);
        }

        Should.Throw<RlpException>(() => Rlp.Decode(Rlp.Encode(item))).Message.ShouldContain("nested deeper");
    }

    [Fact]
    public void Integers_with_a_leading_zero_or_too_many_bytes_are_refused()
    {
        Should.Throw<RlpException>(() => Rlp.Decode(Hex.ToBytes("0x820001")).ToInteger()).Message.ShouldContain("leading zero");
        Should.Throw<RlpException>(() => RlpItem.String(new byte[33]).ToInteger()).Message.ShouldContain("exceeds");
        Should.Throw<RlpException>(() => Rlp.Decode(Hex.ToBytes("0xc0")).Bytes);
    }
}
