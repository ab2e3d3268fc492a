using VantaBot.Bot.Commands.Arguments;
using VantaBot.Trading.Markets;

namespace VantaBot.UnitTests.Commands;

public sealed class OpenOrderArgumentsTests
{
    [Fact]
    public void Pair_collateral_and_leverage_parse()
    {
        var parsed = Parse("ETH 100 25x");

        parsed.ShouldBe(new OpenOrderArguments(Pair.Usd("ETH"), 100m, 25m, null, null));
    }

    [Fact]
    public void Lower_case_pair_capital_x_and_both_exits_parse()
    {
        var parsed = Parse("eth/usd 100 25X tp=4000 sl=3100");

        parsed.ShouldBe(new OpenOrderArguments(Pair.Usd("ETH"), 100m, 25m, 4000m, 3100m));
    }

    [Fact]
    public void Fractional_collateral_and_leverage_with_only_a_stop_loss_parse()
    {
        var parsed = Parse("BTC 10.5 2.5x sl=90000");

        parsed.ShouldBe(new OpenOrderArguments(Pair.Usd("BTC"), 10.5m, 2.5m, null, 90000m));
    }

    [Fact]
    public void Options_may_come_in_any_order_and_case()
    {
        var parsed = Parse("SOL 50 10x SL=120 TP=200.5");

        parsed.TakeProfit.ShouldBe(200.5m);
        parsed.StopLoss.ShouldBe(120m);
    }

    [Fact]
    public void Collateral_takes_usdc_precision()
    {
        Parse("ETH 100.123456 10x").Collateral.ShouldBe(100.123456m);
        Error("ETH 100.1234567 10x").ShouldContain("more than 6 decimals");
    }

    [Theory]
    [InlineData("ETH 100", "expected a pair, a collateral in USDC and a leverage")]
    [InlineData("ETH", "expected a pair, a collateral in USDC and a leverage")]
    [InlineData("", "expected a pair, a collateral in USDC and a leverage")]
    [InlineData("ETH 100 25x tp=4000 sl=3100 tp=5000", "expected a pair, a collateral in USDC and a leverage")]
    [InlineData("123 100 25x", "'123' is not a pair")]
    [InlineData("ETH/EUR 100 25x", "'ETH/EUR' is not a pair")]
    [InlineData("ETH abc 25x", "collateral: 'abc' is not a number")]
    [InlineData("ETH -100 25x", "collateral: '-100' is not a number")]
    [InlineData("ETH 1,000 25x", "collateral: '1,000' is not a number")]
    [InlineData("ETH 0 25x", "collateral and leverage must be more than 0")]
    [InlineData("ETH 100 25", "leverage '25' must end in x")]
    [InlineData("ETH 100 x", "leverage: '' is not a number")]
    [InlineData("ETH 100 0x", "collateral and leverage must be more than 0")]
    [InlineData("ETH 100 1.234x", "leverage: '1.234' has more than 2 decimals")]
    [InlineData("ETH 100 -5x", "leverage: '-5' is not a number")]
    [InlineData("ETH 100 25xx", "leverage: '25x' is not a number")]
    [InlineData("ETH 100 25x tp=4000 tp=4100", "tp is given twice")]
    [InlineData("ETH 100 25x sl=3000 SL=3100", "sl is given twice")]
    [InlineData("ETH 100 25x foo=1", "'foo=1' is not tp=<price> or sl=<price>")]
    [InlineData("ETH 100 25x tp", "'tp' is not tp=<price> or sl=<price>")]
    [InlineData("ETH 100 25x =5", "'=5' is not tp=<price> or sl=<price>")]
    [InlineData("ETH 100 25x tp=", "tp: '' is not a number")]
    [InlineData("ETH 100 25x tp=-1", "tp: '-1' is not a number")]
    [InlineData("ETH 100 25x sl=0", "sl: a price must be more than 0")]
    [InlineData("ETH 100 25x tp=1e3", "tp: '1e3' is not a number")]
    [InlineData("ETH 100 25x tp=0.00000000001", "tp: '0.00000000001' has more than 10 decimals")]
    public void Every_error_names_the_problem(string line, string expected)
    {
        var args = Split(line);

        OpenOrderArguments.TryParse(args, out var parsed, out var error).ShouldBeFalse();

        parsed.ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
        error.ShouldContain(expected);
    }

    [Fact]
    public void A_long_bad_option_is_shortened_in_the_message()
    {
        var error = Error("ETH 100 25x " + new string('q', 40) + "=1");

        error.ShouldContain("…");
        error.ShouldNotContain(new string('q', 25));
    }

    private static OpenOrderArguments Parse(string line)
    {
        OpenOrderArguments.TryParse(Split(line), out var parsed, out var error).ShouldBeTrue(error);
        error.ShouldBeEmpty();
        return parsed!;
    }

    private static string Error(string line)
    {
        OpenOrderArguments.TryParse(Split(line), out _, out var error).ShouldBeFalse();
        return error;
    }

    private static string[] Split(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
