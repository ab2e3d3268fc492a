using VantaBot.Bot.Pipeline;

namespace VantaBot.UnitTests.Pipeline;

public sealed class CommandLineTests
{
    [Fact]
    public void Parses_name_and_arguments()
    {
        CommandLine.TryParse("/price ETH", out var command).ShouldBeTrue();
        command!.Name.ShouldBe("price");
        command.AddressedTo.ShouldBeNull();
        command.Arguments.ShouldBe(["ETH"]);
        command.ArgumentText.ShouldBe("ETH");
    }

    [Fact]
    public void Name_is_lower_cased_but_arguments_keep_their_case()
    {
        CommandLine.TryParse("/PRICE eth", out var command).ShouldBeTrue();
        command!.Name.ShouldBe("price");
        command.Arguments.ShouldBe(["eth"]);
    }

    [Fact]
    public void Bot_mention_is_split_off_as_addressee()
    {
        CommandLine.TryParse("/price@VantaBot ETH", out var command).ShouldBeTrue();
        command!.Name.ShouldBe("price");
        command.AddressedTo.ShouldBe("VantaBot");
        command.Arguments.ShouldBe(["ETH"]);
    }

    [Fact]
    public void Bot_mention_without_arguments()
    {
        CommandLine.TryParse("/HELP@VantaBot", out var command).ShouldBeTrue();
        command!.Name.ShouldBe("help");
        command.AddressedTo.ShouldBe("VantaBot");
        command.Arguments.ShouldBeEmpty();
        command.ArgumentText.ShouldBe("");
    }

    [Theory]
    [InlineData("/price   ETH    BTC")]
    [InlineData("/price\tETH\t\tBTC")]
    [InlineData("/price\nETH\n\nBTC\n")]
    [InlineData("/price \t\r\n ETH \r\n\t BTC   ")]
    public void Any_whitespace_separates_arguments(string text)
    {
        CommandLine.TryParse(text, out var command).ShouldBeTrue();
        command!.Name.ShouldBe("price");
        command.Arguments.ShouldBe(["ETH", "BTC"]);
        command.ArgumentText.ShouldStartWith("ETH");
        command.ArgumentText.ShouldEndWith("BTC");
    }

    [Theory]
    [InlineData("/start")]
    [InlineData("/start ")]
    [InlineData("/start \t\n ")]
    public void No_arguments(string text)
    {
        CommandLine.TryParse(text, out var command).ShouldBeTrue();
        command!.Name.ShouldBe("start");
        command.Arguments.ShouldBeEmpty();
        command.ArgumentText.ShouldBe("");
    }

    [Theory]
    [InlineData("price ETH")]
    [InlineData(" /price ETH")]
    [InlineData("hello")]
    [InlineData("\\price")]
    public void Text_not_starting_with_a_slash_is_not_a_command(string text) =>
        CommandLine.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("/")]
    [InlineData("/ price")]
    [InlineData("/@VantaBot")]
    [InlineData("//price")]
    public void Slash_without_a_name_is_not_a_command(string text) =>
        CommandLine.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("/pr-ice")]
    [InlineData("/pr.ice ETH")]
    [InlineData("/💥")]
    [InlineData("/price💥 ETH")]
    [InlineData("/цена ETH")]
    [InlineData("/prïce")]
    [InlineData("/سعر")]
    [InlineData("/price'; DROP TABLE users;--")]
    [InlineData("/\u212Aick")] // KELVIN SIGN: lower-cases to an ASCII 'k' but is not one.
    [InlineData("/\u0130nfo")] // LATIN CAPITAL I WITH DOT ABOVE
    public void Names_with_characters_outside_a_z_0_9_underscore_are_rejected(string text) =>
        CommandLine.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void Digits_and_underscores_are_allowed_in_names()
    {
        CommandLine.TryParse("/set_limit2 5", out var command).ShouldBeTrue();
        command!.Name.ShouldBe("set_limit2");
    }

    [Fact]
    public void Name_of_32_characters_is_accepted()
    {
        var name = new string('a', 32);
        CommandLine.TryParse("/" + name + " x", out var command).ShouldBeTrue();
        command!.Name.ShouldBe(name);
    }

    [Fact]
    public void Name_of_33_characters_is_rejected()
    {
        CommandLine.TryParse("/" + new string('a', 33) + " x", out _).ShouldBeFalse();
        CommandLine.TryParse("/" + new string('a', 33) + "@VantaBot", out _).ShouldBeFalse();
    }

    [Fact]
    public void Text_of_exactly_the_maximum_length_is_accepted()
    {
        var text = "/echo " + new string('x', CommandLine.MaxLength - 6);
        text.Length.ShouldBe(4096);
        CommandLine.TryParse(text, out var command).ShouldBeTrue();
        command!.ArgumentText.Length.ShouldBe(4090);
    }

    [Fact]
    public void Text_one_over_the_maximum_length_is_rejected()
    {
        var text = "/echo " + new string('x', CommandLine.MaxLength - 5);
        text.Length.ShouldBe(4097);
        CommandLine.TryParse(text, out var command).ShouldBeFalse();
        command.ShouldBeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Null_or_empty_is_not_a_command(string? text)
    {
        CommandLine.TryParse(text, out var command).ShouldBeFalse();
        command.ShouldBeNull();
    }
}
