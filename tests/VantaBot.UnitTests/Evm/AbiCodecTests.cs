using System.Numerics;
using System.Text;
using VantaBot.Infrastructure.Evm.Abi;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.UnitTests.Evm;

public sealed class AbiCodecTests
{
    private static string Words(params string[] words) => string.Concat(words.Select(w => w.PadLeft(64, '0')));

    private static string Text(string ascii) => Convert.ToHexStringLower(Encoding.ASCII.GetBytes(ascii)).PadRight(64, '0');

    // The examples of the Solidity "Contract ABI Specification" (docs.soliditylang.org/en/latest/abi-spec.html#examples).
    public static TheoryData<string, string, object?[], string> SpecExamples() => new()
    {
        { "baz(uint32 x, bool y)", "0xcdcd77c0", [new BigInteger(69), true], Words("45", "1") },
        {
            "bar(bytes3[2])", "0xfce353f6", [new object?[] { "abc"u8.ToArray(), "def"u8.ToArray() }],
            Text("abc") + Text("def")
        },
        {
            "sam(bytes,bool,uint256[])", "0xa5643bf2",
            ["dave"u8.ToArray(), true, new object?[] { new BigInteger(1), new BigInteger(2), new BigInteger(3) }],
            Words("60", "1", "a0", "4") + Text("dave") + Words("3", "1", "2", "3")
        },
        {
            "f(uint256,uint32[],bytes10,bytes)", "0x8be65246",
            [new BigInteger(0x123), new object?[] { new BigInteger(0x456), new BigInteger(0x789) }, "1234567890"u8.ToArray(), "Hello, world!"u8.ToArray()],
            Words("123", "80") + Text("1234567890") + Words("e0", "2", "456", "789", "d") + Text("Hello, world!")
        },
        {
            "g(uint256[][],string[])", "0x2289b18c",
            [
                new object?[] { new object?[] { new BigInteger(1), new BigInteger(2) }, new object?[] { new BigInteger(3) } },
                new object?[] { "one", "two", "three" },
            ],
            Words("40", "140", "2", "40", "a0", "2", "1", "2", "1", "3", "3", "60", "a0", "e0", "3") + Text("one")
                + Words("3") + Text("two") + Words("5") + Text("three")
        },
    };

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void Encodes_and_decodes_the_ABI_spec_examples(string signature, string selector, object?[] args, string body)
    {
        var function = AbiFunction.Parse(signature);
        function.SelectorHex.ShouldBe(selector);

        var call = function.EncodeCall(args);

        Hex.FromBytes(call).ShouldBe(selector + body);
        Normalise(function.DecodeCall(call)).ShouldBe(Normalise(args));
    }

    [Theory]
    // Selectors in ../shared/REFERENCE.md.
    [InlineData("approve(address spender, uint256 amount) returns (bool)", "0x095ea7b3")]
    [InlineData("swapExactTokensForTokens(uint amountIn, uint amountOutMin, address[] path, address to, uint deadline) returns (uint[] amounts)", "0x38ed1739")]
    [InlineData("swapExactETHForTokens(uint amountOutMin, address[] path, address to, uint deadline) payable returns (uint[] amounts)", "0x7ff36ab5")]
    [InlineData("getAmountsOut(uint256,address[]) returns (uint256[])", "0xd06ca61f")]
    [InlineData("function transfer(address payable to, uint256 amount) external returns (bool)", "0xa9059cbb")]
    [InlineData("exactInputSingle((address tokenIn, address tokenOut, uint24 fee, address recipient, uint256 deadline, uint256 amountIn, uint256 amountOutMinimum, uint160 sqrtPriceLimitX96) params) payable returns (uint256 amountOut)", "0x414bf389")]
    [InlineData("exactInputSingle((address,address,uint24,address,uint256,uint256,uint160))", "0x04e45aaf")]
    [InlineData("quoteExactInputSingle((address,address,uint256,uint24,uint160)) returns (uint256,uint160,uint32,uint256)", "0xc6a5026a")]
    [InlineData("function latestRoundData() external view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)", "0xfeaf968c")]
    public void Computes_the_published_selectors(string signature, string selector) =>
        AbiFunction.Parse(signature).SelectorHex.ShouldBe(selector);

    [Fact]
    public void GetAmountsOut_encodes_a_call_and_decodes_its_output()
    {
        var function = AbiFunction.Parse("getAmountsOut(uint256,address[]) returns (uint256[])");
        var weth = EvmAddress.Parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
        var usdc = EvmAddress.Parse("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");

        var call = function.EncodeCall(BigInteger.Pow(10, 18), new object?[] { weth, usdc });

        Hex.FromBytes(call).ShouldBe("0xd06ca61f" + Words("de0b6b3a7640000", "40", "2", weth.LowerHex, usdc.LowerHex));
        var output = AbiEncoder.Encode([AbiType.Parse("uint256[]")], [new object?[] { BigInteger.Pow(10, 18), new BigInteger(3_000_000_000) }]);
        var amounts = (object?[])function.DecodeOutput(output)[0]!;
        amounts.ShouldBe(new object?[] { BigInteger.Pow(10, 18), new BigInteger(3_000_000_000) });
    }

    [Fact]
    public void Round_trips_tuples_nested_arrays_and_signed_integers()
    {
        var types = new[] { "(address,uint24,uint256)", "(uint256,address)[]", "(string,uint256[2],bytes)[2]", "int24", "int256", "bytes1", "uint8[2][]" }
            .Select(AbiType.Parse).ToArray();
        var someone = EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        object?[] values =
        [
            new object?[] { someone, new BigInteger(3000), BigInteger.Pow(2, 256) - 1 },
            new object?[] { new object?[] { BigInteger.One, someone }, new object?[] { BigInteger.Zero, EvmAddress.Zero } },
            new object?[]
            {
                new object?[] { "héllo ✓", new object?[] { BigInteger.One, new BigInteger(2) }, new byte[40] },
                new object?[] { "", new object?[] { BigInteger.Zero, BigInteger.Zero }, Array.Empty<byte>() },
            },
            new BigInteger(-8_388_608),
            -BigInteger.Pow(2, 255),
            new byte[] { 0xff },
            new object?[] { new object?[] { BigInteger.Zero, new BigInteger(255) } },
        ];

        var encoded = AbiEncoder.Encode(types, values);

        Normalise(AbiDecoder.Decode(types, encoded)).ShouldBe(Normalise(values));
        Hex.FromBytes(AbiEncoder.Encode(AbiType.Int(24), new BigInteger(-1))).ShouldBe("0x" + new string('f', 64));
    }

    [Theory]
    [InlineData("uint8", "256")]
    [InlineData("uint256", "-1")]
    [InlineData("int8", "128")]
    [InlineData("int8", "-129")]
    [InlineData("uint256", "115792089237316195423570985008687907853269984665640564039457584007913129639936")]
    [InlineData("int256", "57896044618658097711785492504343953926634992332820282019728792003956564819968")]
    public void Out_of_range_integers_are_refused(string type, string value) =>
        Should.Throw<ArgumentException>(() => AbiEncoder.Encode(AbiType.Parse(type), BigInteger.Parse(value)))
            .Message.ShouldContain("does not fit");

    [Fact]
    public void Mismatched_values_are_refused_naming_the_position()
    {
        Should.Throw<ArgumentException>(() => AbiEncoder.Encode(AbiType.Parse("bytes3"), new byte[4])).Message.ShouldContain("exactly 3 bytes");
        Should.Throw<ArgumentException>(() => AbiEncoder.Encode(AbiType.Parse("uint256[2]"), new object?[] { BigInteger.One })).Message.ShouldContain("exactly 2 elements");
        Should.Throw<ArgumentException>(() => AbiEncoder.Encode(AbiType.Parse("(address,bool)"), new object?[] { EvmAddress.Zero, "yes" })).Message.ShouldContain("[0][1]");
        Should.Throw<ArgumentException>(() => AbiFunction.Parse("approve(address,uint256)").EncodeCall(EvmAddress.Zero)).Message.ShouldContain("2 argument(s)");
    }

    [Fact]
    public void Decodes_the_Uniswap_V2_Swap_event_by_name()
    {
        var swap = AbiEvent.Parse("Swap(address indexed sender,uint256 amount0In,uint256 amount1In,uint256 amount0Out,uint256 amount1Out,address indexed to)");
        swap.Topic0Hex.ShouldBe("0xd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822"); // REFERENCE.md
        AbiEvent.Parse("event Transfer(address indexed from, address indexed to, uint256 value)").Topic0Hex
            .ShouldBe("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

        var router = EvmAddress.Parse("0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D");
        var trader = EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        byte[][] topics = [swap.Topic0, Hex.ToBytes("0x" + Words(router.LowerHex)), Hex.ToBytes("0x" + Words(trader.LowerHex))];
        var data = Hex.ToBytes("0x" + Words("de0b6b3a7640000", "0", "0", "b2d05e00"));

        var values = swap.Decode(topics, data);

        values["sender"].ShouldBe(router);
        values["to"].ShouldBe(trader);
        values["amount0In"].ShouldBe(BigInteger.Pow(10, 18));
        values["amount1Out"].ShouldBe(new BigInteger(3_000_000_000));
        Should.Throw<AbiDecodingException>(() => swap.Decode(topics[..2], data)).Message.ShouldContain("topics");
        Should.Throw<AbiDecodingException>(() => swap.Decode([new byte[32], topics[1], topics[2]], data)).Message.ShouldContain("topic0");
    }

    private static object? Normalise(object? value) => value switch
    {
        byte[] bytes => Hex.FromBytes(bytes),
        IReadOnlyList<object?> list => string.Join("|", list.Select(v => "{" + Normalise(v) + "}")),
        _ => value,
    };
}
