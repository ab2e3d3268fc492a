using VantaBot.Infrastructure.Evm.Abi;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.UnitTests.Evm;

public sealed class RevertReasonTests
{
    [Fact]
    public void Error_string_gives_its_message()
    {
        // Solidity docs ("Error handling: Assert, Require, Revert and Exceptions"): revert("Not enough Ether provided.").
        var data = Hex.ToBytes(
            "0x08c379a0"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "000000000000000000000000000000000000000000000000000000000000001a"
            + "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000");
        RevertReason.Decode(data).ShouldBe("Not enough Ether provided.");
    }

    [Theory]
    [InlineData("11", "panic 0x11 (arithmetic overflow)")]
    [InlineData("12", "panic 0x12 (division or modulo by zero)")]
    [InlineData("01", "panic 0x01 (assertion failed)")]
    [InlineData("32", "panic 0x32 (array index out of bounds)")]
    [InlineData("99", "panic 0x99")]
    public void Panic_codes_are_named(string code, string expected)
    {
        var data = AbiFunction.Parse("Panic(uint256)").EncodeCall(System.Numerics.BigInteger.Parse("0" + code, System.Globalization.NumberStyles.HexNumber));
        Hex.FromBytes(data.AsSpan(0, 4)).ShouldBe("0x4e487b71");
        RevertReason.Decode(data).ShouldBe(expected);
    }

    [Fact]
    public void Empty_custom_and_garbage_data_are_described_safely()
    {
        RevertReason.Decode([]).ShouldBe("reverted without a reason");
        RevertReason.Decode(null).ShouldBe("reverted without a reason");
        RevertReason.Decode(AbiFunction.Parse("InsufficientBalance(uint256,uint256)").EncodeCall(1, 2))
            .ShouldBe("custom error 0xcf479181 with 64 bytes of data");
        RevertReason.Decode([0xde, 0xad, 0xbe, 0xef]).ShouldBe("custom error 0xdeadbeef");
        RevertReason.Decode([0x08, 0xc3]).ShouldStartWith("malformed revert data");
        RevertReason.Decode([0x08, 0xc3, 0x79, 0xa0, 0x00, 0x01]).ShouldStartWith("malformed Error(string)");
        RevertReason.Decode([0x4e, 0x48, 0x7b, 0x71]).ShouldStartWith("malformed Panic(uint256)");
    }

    [Fact]
    public void Hostile_messages_are_cleaned_and_capped()
    {
        var error = AbiFunction.Parse("Error(string)");
        RevertReason.Decode(error.EncodeCall("line1\nline2\u0007")).ShouldBe("line1 line2");
        RevertReason.Decode(error.EncodeCall("pay \u202Eevil")).ShouldBe("pay  evil");
        var longReason = RevertReason.Decode(error.EncodeCall(new string('x', 5000)));
        longReason.Length.ShouldBeLessThanOrEqualTo(RevertReason.MaxLength + 1);
        longReason.ShouldEndWith("…");

        var random = new Random(11);
        for (var i = 0; i < 2000; i++)
        {
            var data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            if (data.Length >= 4 && random.Next(2) == 0)
            {
                new byte[] { 0x08, 0xc3, 0x79, 0xa0 }.CopyTo(data, 0);
            }

            RevertReason.Decode(data).ShouldNotBeNullOrWhiteSpace();
        }
    }
}
