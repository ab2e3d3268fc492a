using VantaBot.Trading.Markets;

namespace VantaBot.UnitTests.Markets;

public sealed class PairTests
{
    [Theory]
    [InlineData("ETH", "ETH")]
    [InlineData("eth", "ETH")]
    [InlineData("ETH/USD", "ETH")]
    [InlineData("eth/usd", "ETH")]
    [InlineData("eth-usd", "ETH")]
    [InlineData("ETH-USD", "ETH")]
    [InlineData("ETHUSD", "ETH")]
    [InlineData("ethusd", "ETH")]
    [InlineData("BTC", "BTC")]
    [InlineData("  sol  ", "SOL")]
    [InlineData("DOGE", "DOGE")]
    [InlineData("LINK/USD", "LINK")]
    [InlineData("ET", "ET")] // shortest base
    [InlineData("ABCDEFGHIJ", "ABCDEFGHIJ")] // longest base (10)
    [InlineData("ABCDEFGHIJ/USD", "ABCDEFGHIJ")]
    public void Accepts_usd_pairs_in_every_documented_spelling(string text, string expectedBase)
    {
        Pair.TryParse(text, out var pair).ShouldBeTrue();
        pair!.Base.ShouldBe(expectedBase);
        pair.Quote.ShouldBe("USD");
        pair.ToString().ShouldBe(expectedBase + "/USD");
    }

    [Theory]
    [InlineData("USD")]
    [InlineData("usd")]
    [InlineData("USD/USD")]
    [InlineData("usd-usd")]
    [InlineData("USDUSD")]
    public void Usd_against_usd_is_rejected(string text)
    {
        Pair.TryParse(text, out var pair).ShouldBeFalse();
        pair.ShouldBeNull();
        Should.Throw<ArgumentException>(() => Pair.Usd(text));
    }

    [Theory]
    [InlineData("BUSD")]
    [InlineData("TUSD")]
    public void Stripping_the_usd_suffix_never_leaves_a_one_letter_base(string text)
    {
        Pair.TryParse(text, out var pair).ShouldBeTrue();
        pair!.Base.Length.ShouldBeGreaterThanOrEqualTo(2);
        pair.Base.ShouldBe(text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    [InlineData(null)]
    [InlineData("DOGE/EUR")]
    [InlineData("ETH/BTC")]
    [InlineData("ETH-USDT")]
    [InlineData("ETH/")]
    [InlineData("/USD")]
    [InlineData("ETH/USD/USD")]
    [InlineData("ETH USD")]
    [InlineData("ETH_USD")]
    [InlineData("E")]
    [InlineData("1INCH")] // a base starts with a letter
    [InlineData("E/USD")]
    [InlineData("ABCDEFGHIJK")] // 11-character base
    [InlineData("ABCDEFGHIJK/USD")]
    [InlineData("ETH'; DROP TABLE users;--")]
    [InlineData("ETH';")]
    [InlineData("<b>ETH</b>")]
    [InlineData("ETH\nUSD")]
    [InlineData("ETH\u0000")]
    [InlineData("\u202EHTE")] // RIGHT-TO-LEFT OVERRIDE
    [InlineData("ETH\u200F")] // RIGHT-TO-LEFT MARK
    [InlineData("اثير")]
    [InlineData("ЕТН")] // Cyrillic look-alikes
    [InlineData("ÉTH")]
    [InlineData("ETH💥")]
    [InlineData("ABCDEFGHIJABCDEFGHIJABCDE")] // 25 characters
    [InlineData("                    ETH     ")] // 28 characters, though only 3 are meaningful
    public void Rejects_anything_else(string? text)
    {
        Pair.TryParse(text, out var pair).ShouldBeFalse();
        pair.ShouldBeNull();
    }

    [Fact]
    public void Usd_throws_for_a_bad_symbol_and_names_it()
    {
        var ex = Should.Throw<ArgumentException>(() => Pair.Usd("E"));
        ex.Message.ShouldContain("'E'");
    }

    [Fact]
    public void Equal_regardless_of_how_it_was_spelled()
    {
        Pair.Usd("eth").ShouldBe(Pair.Usd("ETH"));
        (Pair.Usd("eth") == Pair.Usd("ETH")).ShouldBeTrue();
        Pair.Usd("ETH/USD").ShouldBe(Pair.Usd("ethusd"));
        Pair.Usd("eth").GetHashCode().ShouldBe(Pair.Usd("ETH-USD").GetHashCode());
        Pair.Usd("ETH").ShouldNotBe(Pair.Usd("BTC"));
    }

    [Fact]
    public void Works_as_a_dictionary_key()
    {
        var prices = new Dictionary<Pair, decimal> { [Pair.Usd("ETH")] = 3400m };
        prices[Pair.Usd("eth")].ShouldBe(3400m);
        prices.ContainsKey(Pair.Usd("ETH/USD")).ShouldBeTrue();
        prices.ContainsKey(Pair.Usd("BTC")).ShouldBeFalse();
        prices[Pair.Usd("eth-usd")] = 3500m;
        prices.Count.ShouldBe(1);
    }

    [Fact]
    public void ToString_is_base_slash_quote() => Pair.Usd("eth").ToString().ShouldBe("ETH/USD");
}
