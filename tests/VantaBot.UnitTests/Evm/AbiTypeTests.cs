using VantaBot.Infrastructure.Evm.Abi;

namespace VantaBot.UnitTests.Evm;

public sealed class AbiTypeTests
{
    [Theory]
    [InlineData("uint256", "uint256", false, 32)]
    [InlineData("uint", "uint256", false, 32)]
    [InlineData("int24", "int24", false, 32)]
    [InlineData("address", "address", false, 32)]
    [InlineData("bool", "bool", false, 32)]
    [InlineData("bytes", "bytes", true, 32)]
    [InlineData("bytes32", "bytes32", false, 32)]
    [InlineData("string", "string", true, 32)]
    [InlineData("address[]", "address[]", true, 32)]
    [InlineData("uint256[3]", "uint256[3]", false, 96)]
    [InlineData("string[2]", "string[2]", true, 32)]
    [InlineData("(address,uint24,uint256)", "(address,uint24,uint256)", false, 96)]
    [InlineData("(uint256,address)[]", "(uint256,address)[]", true, 32)]
    [InlineData("(address tokenIn, uint24 fee, (bytes,int)[2][] legs)", "(address,uint24,(bytes,int256)[2][])", true, 32)]
    [InlineData("uint8[2][3]", "uint8[2][3]", false, 192)]
    public void Parses_types_to_their_canonical_form(string text, string canonical, bool dynamic, int headSize)
    {
        var type = AbiType.Parse(text);
        type.Canonical.ShouldBe(canonical);
        type.IsDynamic.ShouldBe(dynamic);
        type.HeadSize.ShouldBe(headSize);
        AbiType.Parse(type.Canonical).ShouldBe(type);
    }

    [Fact]
    public void Every_integer_width_and_fixed_byte_length_parses()
    {
        for (var bits = 8; bits <= 256; bits += 8)
        {
            AbiType.Parse($"uint{bits}").Size.ShouldBe(bits);
            AbiType.Parse($"int{bits}").Kind.ShouldBe(AbiKind.Int);
        }

        for (var length = 1; length <= 32; length++)
        {
            AbiType.Parse($"bytes{length}").Size.ShouldBe(length);
        }
    }

    [Theory]
    [InlineData("uint7")]
    [InlineData("uint264")]
    [InlineData("uint08")]
    [InlineData("int0")]
    [InlineData("bytes0")]
    [InlineData("bytes33")]
    [InlineData("address[0]")]
    [InlineData("uint256[-1]")]
    [InlineData("(address,uint256")]
    [InlineData("address,uint256)")]
    [InlineData("fixed128x18")]
    [InlineData("")]
    [InlineData("uint256[65536][65536]")]
    public void Refuses_unsupported_or_malformed_types(string text) =>
        Should.Throw<FormatException>(() => AbiType.Parse(text));

    [Fact]
    public void Refuses_absurd_nesting_instead_of_recursing_without_bound()
    {
        Should.Throw<FormatException>(() => AbiType.Parse(new string('(', 5000) + "uint8" + new string(')', 5000)))
            .Message.ShouldContain("nests deeper");
        Should.Throw<FormatException>(() => AbiType.Parse("uint8" + string.Concat(Enumerable.Repeat("[]", 5000))));
    }
}
