using System.Numerics;
using VantaBot.Infrastructure.Evm.Abi;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.UnitTests.Evm;

/// <summary>Return data comes from contracts and nodes we do not control: every malformation has a reason, never a crash or a huge allocation.</summary>
public sealed class AbiDecoderHostileTests
{
    private static byte[] Words(params string[] words) => Hex.ToBytes("0x" + string.Concat(words.Select(w => w.PadLeft(64, '0'))));

    [Theory]
    [InlineData("uint256", "", "cannot hold")]
    [InlineData("address", "ff00000000000000000000000000000000000000000000000000000000000001", "non-zero bytes above its 20")]
    [InlineData("bool", "2", "not 0 or 1")]
    [InlineData("uint8", "100", "above its 8 bits")]
    [InlineData("int8", "80", "sign-extended")]
    [InlineData("int8", "ff00000000000000000000000000000000000000000000000000000000000001", "sign-extended")]
    [InlineData("bytes3", "6162630000000000000000000000000000000000000000000000000000000001", "non-zero padding")]
    [InlineData("bytes", "20|3|6162630000000000000000000000000000000000000000000000000000000001", "non-zero padding")]
    [InlineData("bytes", "40", "past the end")]
    [InlineData("bytes", "20|21|00", "do not fit")]
    [InlineData("bytes", "20|ffffffff", "larger than any data")]
    [InlineData("bytes", "20|100000000", "larger than any data")]
    [InlineData("string", "20|2|fffe000000000000000000000000000000000000000000000000000000000000", "UTF-8")]
    [InlineData("uint256[]", "20|7ffff", "does not fit")]
    [InlineData("uint256[]", "20|3|1|2", "does not fit")]
    [InlineData("(uint256,bytes)", "20|1", "past the end")]
    [InlineData("uint256[2]", "1", "cannot hold")]
    public void Malformed_data_is_refused_with_a_reason(string type, string words, string reason)
    {
        var data = words.Length == 0 ? [] : Words(words.Split('|'));
        var exception = Should.Throw<AbiDecodingException>(() => AbiDecoder.Decode([AbiType.Parse(type)], data));
        exception.Message.ShouldContain(reason);
    }

    [Fact]
    public void Offsets_aliasing_one_array_cannot_multiply_the_work()
    {
        // uint256[][] whose 3000 element offsets all point at the same 3000-element array: 100 kB of data that
        // would decode to nine million values if aliasing were allowed.
        const int n = 3000;
        var words = new List<string> { "20", n.ToString("x") };
        var inner = (n * 32).ToString("x");
        words.AddRange(Enumerable.Repeat(inner, n));
        words.Add(n.ToString("x"));
        words.AddRange(Enumerable.Repeat("1", n - 1));
        words.Add("1");
        var data = Words([.. words]);

        var exception = Should.Throw<AbiDecodingException>(() => AbiDecoder.Decode([AbiType.Parse("uint256[][]")], data));
        exception.Message.ShouldContain("more values than it can hold");
    }

    [Fact]
    public void Random_data_only_ever_fails_with_AbiDecodingException()
    {
        var random = new Random(7);
        var types = new[] { "uint256[]", "(uint256,bytes,string[])", "bytes", "(address,bool)[2]", "string[][]", "int24" }
            .Select(AbiType.Parse).ToArray();
        for (var i = 0; i < 3000; i++)
        {
            var words = random.Next(0, 8);
            var data = new byte[words * 32];
            for (var w = 0; w < words; w++)
            {
                // Mostly small numbers so offsets and lengths are plausible, sometimes noise.
                if (random.Next(4) == 0)
                {
                    random.NextBytes(data.AsSpan(w * 32, 32));
                }
                else
                {
                    data[(w * 32) + 31] = (byte)(random.Next(0, 8) * 32);
                }
            }

            var type = types[random.Next(types.Length)];
            try
            {
                AbiDecoder.Decode([type], data);
            }
            catch (AbiDecodingException)
            {
            }
        }
    }

    [Fact]
    public void Decoded_values_use_the_encoder_representation()
    {
        var address = EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        var data = AbiEncoder.Encode(
            [AbiType.Address, AbiType.Bool, AbiType.Parse("bytes2"), AbiType.Int(16)],
            [address, true, new byte[] { 1, 2 }, new BigInteger(-2)]);
        var values = AbiDecoder.Decode([AbiType.Address, AbiType.Bool, AbiType.Parse("bytes2"), AbiType.Int(16)], data);
        values[0].ShouldBe(address);
        values[1].ShouldBe(true);
        values[2].ShouldBe(new byte[] { 1, 2 });
        values[3].ShouldBe(new BigInteger(-2));
    }
}
