using System.Numerics;
using VantaBot.Trading.Swaps;

namespace VantaBot.UnitTests.Swaps;

public sealed class TokenAmountTests
{
    [Theory]
    [InlineData("1.5", 18, "1500000000000000000")]
    [InlineData("0.000001", 6, "1")]
    [InlineData("123456789.123456", 6, "123456789123456")]
    public void Decimals_convert_exactly_to_raw_units(string value, int decimals, string raw)
    {
        TokenAmount.TryFromDecimal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), decimals, out var amount, out _).ShouldBeTrue();
        amount.Raw.ShouldBe(BigInteger.Parse(raw, System.Globalization.CultureInfo.InvariantCulture));
        amount.ToDecimal().ShouldBe(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Finer_than_the_token_zero_and_negative_are_refused()
    {
        TokenAmount.TryFromDecimal(0.0000001m, 6, out _, out var problem).ShouldBeFalse();
        problem.ShouldContain("6 decimals");
        TokenAmount.TryFromDecimal(0m, 6, out _, out _).ShouldBeFalse();
        TokenAmount.TryFromDecimal(-1m, 6, out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void The_minimum_out_rounds_down()
    {
        new TokenAmount(999, 0).MinusBasisPoints(50).Raw.ShouldBe(new BigInteger(994)); // 994.005 → 994
    }
}
