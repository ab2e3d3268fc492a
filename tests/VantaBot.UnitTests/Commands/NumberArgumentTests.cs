using VantaBot.Bot.Commands.Arguments;

namespace VantaBot.UnitTests.Commands;

public sealed class NumberArgumentTests
{
    [Theory]
    [InlineData("100", 6, "100")]
    [InlineData("99.5", 6, "99.5")]
    [InlineData("0.000001", 6, "0.000001")]
    [InlineData("0", 6, "0")]
    [InlineData("007", 6, "7")]
    [InlineData("999999999999999", 0, "999999999999999")]
    [InlineData("25", 2, "25")]
    [InlineData("2.55", 2, "2.55")]
    public void Plain_numbers_parse_exactly(string text, int maxDecimals, string expected)
    {
        NumberArgument.TryParse(text, maxDecimals, out var value, out var error).ShouldBeTrue();

        value.ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        error.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("1e5")]
    [InlineData("1E5")]
    [InlineData("1,000")]
    [InlineData("1 000")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("∞")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("5\n")]
    [InlineData("\n5")]
    [InlineData("")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("5..0")]
    [InlineData("1.2.3")]
    [InlineData("0x10")]
    [InlineData("١٢٣")]
    [InlineData("５")]
    [InlineData("1234567890123456")]
    [InlineData("abc")]
    public void Anything_but_plain_digits_is_not_a_number(string text)
    {
        NumberArgument.TryParse(text, 6, out var value, out var error).ShouldBeFalse();

        value.ShouldBe(0m);
        error.ShouldBe($"'{text}' is not a number (write plain digits such as 100 or 99.5, no commas, signs or exponents).");
    }

    [Fact]
    public void A_sixteen_digit_whole_part_is_refused_even_with_decimals()
    {
        NumberArgument.TryParse("1000000000000000.5", 6, out _, out var error).ShouldBeFalse();
        error.ShouldContain("is not a number");
    }

    [Theory]
    [InlineData("0.0000001", 6)]
    [InlineData("1.234", 2)]
    [InlineData("1.5", 0)]
    public void More_decimals_than_allowed_are_refused_naming_the_limit(string text, int maxDecimals)
    {
        NumberArgument.TryParse(text, maxDecimals, out var value, out var error).ShouldBeFalse();

        value.ShouldBe(0m);
        error.ShouldBe($"'{text}' has more than {maxDecimals} decimals.");
    }

    [Fact]
    public void Exactly_the_allowed_decimals_pass()
    {
        NumberArgument.TryParse("1.23", 2, out var value, out _).ShouldBeTrue();
        value.ShouldBe(1.23m);
    }

    [Fact]
    public void Long_input_is_quoted_shortened_with_an_ellipsis()
    {
        var text = new string('a', 30);

        NumberArgument.TryParse(text, 6, out _, out var error).ShouldBeFalse();

        error.ShouldStartWith($"'{new string('a', 24)}…'");
        error.ShouldNotContain(new string('a', 25));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("abc", "abc")]
    [InlineData("123456789012345678901234", "123456789012345678901234")]
    [InlineData("1234567890123456789012345", "123456789012345678901234…")]
    public void Shorten_keeps_24_characters(string text, string expected) => NumberArgument.Shorten(text).ShouldBe(expected);
}
