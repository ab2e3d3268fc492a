using System.Text;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Commands;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.UnitTests.Commands;

public sealed class PriceFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private readonly PriceFormatter _formatter = new(Options.Create(new PriceFeedOptions { MaxQuoteAge = TimeSpan.FromSeconds(5) }));

    [Fact]
    public void Fresh_real_reading_names_pair_price_source_and_age()
    {
        var text = _formatter.Format(Reading("ETH", 3400m, age: TimeSpan.FromSeconds(1.2), stale: false, simulated: false, source: "binance"));

        text.ShouldStartWith("ETH/USD: 3,400.00 USD");
        text.ShouldContain("Source: binance");
        text.ShouldContain("Age: 1.2 s");
        text.ShouldContain("Confidence: 100% (1 of 1 source agrees)");
        text.ShouldNotContain("STALE");
        text.ShouldNotContain("SIMULATED");
    }

    [Fact]
    public void Stale_reading_says_stale_and_names_the_limit()
    {
        var text = _formatter.Format(Reading("ETH", 3400m, age: TimeSpan.FromSeconds(12), stale: true, simulated: false));
        text.ShouldContain("STALE");
        text.ShouldContain("within 5.0 s");
        text.ShouldContain("not used for new orders");
        text.ShouldContain("ETH/USD is close-only");
        text.ShouldContain("Confidence: 0% (0 of 1 source agrees)");
    }

    [Fact]
    public void Several_sources_are_listed_with_the_confidence_and_a_stale_reason_is_given()
    {
        var quote = new PriceQuote(Pair.Usd("BTC"), 95_000m, "binance+coinbase", At, false);
        var fresh = _formatter.Format(new PriceReading(quote, TimeSpan.FromSeconds(2), false) { Sources = ["binance", "coinbase"], ConfiguredSources = 3 });
        fresh.ShouldContain("Sources: binance, coinbase");
        fresh.ShouldContain("Confidence: 67% (2 of 3 sources agree)");

        var stale = _formatter.Format(new PriceReading(quote, TimeSpan.FromSeconds(9), true) { Sources = ["binance", "coinbase"], ConfiguredSources = 3, StaleReason = "no source has a fresh quote" });
        stale.ShouldContain("STALE: no source has a fresh quote; no agreed price within 5.0 s");
    }

    [Fact]
    public void Simulated_reading_says_simulated()
    {
        var text = _formatter.Format(Reading("ETH", 3400m, age: TimeSpan.Zero, stale: false, simulated: true, source: "simulated"));
        text.ShouldContain("Source: simulated (SIMULATED");
        text.ShouldNotContain("STALE");
    }

    [Fact]
    public void Stale_and_simulated_says_both()
    {
        var text = _formatter.Format(Reading("ETH", 3400m, age: TimeSpan.FromMinutes(3), stale: true, simulated: true));
        text.ShouldContain("SIMULATED");
        text.ShouldContain("STALE");
    }

    [Theory]
    [InlineData("3400", "3,400.00")]
    [InlineData("95000", "95,000.00")]
    [InlineData("1234567.891", "1,234,567.891")]
    [InlineData("17.5", "17.50")]
    [InlineData("1", "1.00")]
    [InlineData("1.23456", "1.2346")]
    [InlineData("0.2100", "0.21")]
    [InlineData("0.85", "0.85")]
    [InlineData("0.000123", "0.000123")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("0.5", "0.50")]
    public void Price_formatting(string price, string expected)
    {
        var text = _formatter.Format(Reading("ETH", decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero, false, false));
        text.ShouldStartWith($"ETH/USD: {expected} USD");
    }

    [Theory]
    [InlineData(0, "0.0 s")]
    [InlineData(1500, "1.5 s")]
    [InlineData(59_900, "59.9 s")]
    [InlineData(60_000, "1 min")]
    [InlineData(150_000, "3 min")] // 2.5 min rounds
    [InlineData(3_600_000, "60 min")]
    public void Age_is_seconds_with_one_decimal_below_a_minute_and_minutes_from_then(int milliseconds, string expected)
    {
        var text = _formatter.Format(Reading("ETH", 1m, TimeSpan.FromMilliseconds(milliseconds), false, false));
        text.ShouldContain($"Age: {expected}");
    }

    [Fact]
    public void Refresh_button_carries_the_base_symbol()
    {
        var markup = PriceFormatter.RefreshButton(Pair.Usd("eth"));
        var button = markup.InlineKeyboard.ShouldHaveSingleItem().ShouldHaveSingleItem();
        button.CallbackData.ShouldBe("price:ETH");
        button.Text.ShouldContain("Refresh");
    }

    [Fact]
    public void Refresh_button_data_fits_telegrams_64_byte_limit_for_the_longest_base()
    {
        var data = PriceFormatter.RefreshButton(Pair.Usd("ABCDEFGHIJ")).InlineKeyboard[0][0].CallbackData!;
        data.ShouldBe("price:ABCDEFGHIJ");
        Encoding.UTF8.GetByteCount(data).ShouldBeLessThanOrEqualTo(64);
    }

    [Fact]
    public void Refresh_button_payload_parses_back_to_the_same_pair()
    {
        var pair = Pair.Usd("DOGE");
        var data = PriceFormatter.RefreshButton(pair).InlineKeyboard[0][0].CallbackData!;
        var payload = data[(data.IndexOf(':', StringComparison.Ordinal) + 1)..];
        Pair.TryParse(payload, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(pair);
    }

    private static PriceReading Reading(string symbol, decimal price, TimeSpan age, bool stale, bool simulated, string source = "test") =>
        new(new PriceQuote(Pair.Usd(symbol), price, source, At, simulated), age, stale);
}
