using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Jobs;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Prices;
using VantaBot.Trading.Prices;

namespace VantaBot.UnitTests.Configuration;

/// <summary>The Prices__* and Jobs__* settings of issue #6: every bad value fails naming its setting.</summary>
public sealed class PriceAndJobOptionsValidatorsTests
{
    [Fact]
    public void Real_sources_pass_and_live_trading_is_allowed_with_them() =>
        Prices(new PriceFeedOptions { Sources = "pyth, Coinbase,binance" }, allowLive: true).Succeeded.ShouldBeTrue();

    [Fact]
    public void Simulated_next_to_real_sources_is_still_refused_in_live() =>
        Fails(Prices(new PriceFeedOptions { Sources = "pyth,simulated" }, allowLive: true)).ShouldHaveSingleItem().ShouldStartWith("Prices__Sources: 'simulated'");

    [Theory]
    [InlineData("", "Prices__Pairs:")]
    [InlineData("BTC,ETH/EUR", "Prices__Pairs:")]
    public void Pairs_must_be_symbols(string pairs, string setting) =>
        Fails(Prices(new PriceFeedOptions { Pairs = pairs })).ShouldHaveSingleItem().ShouldStartWith(setting);

    [Theory]
    [InlineData("0")]
    [InlineData("-0.01")]
    [InlineData("0.5")]
    public void Deviation_must_be_a_small_positive_fraction(string fraction) =>
        Fails(Prices(new PriceFeedOptions { MaxDeviationFraction = decimal.Parse(fraction, System.Globalization.CultureInfo.InvariantCulture) }))
            .ShouldHaveSingleItem().ShouldStartWith("Prices__MaxDeviationFraction:");

    [Fact]
    public void Jump_must_be_positive() =>
        Fails(Prices(new PriceFeedOptions { MaxJumpFraction = 0m })).ShouldHaveSingleItem().ShouldStartWith("Prices__MaxJumpFraction:");

    [Fact]
    public void Fetch_interval_must_be_shorter_than_the_quote_age() =>
        Fails(Prices(new PriceFeedOptions { MinFetchInterval = TimeSpan.FromSeconds(5) })).ShouldHaveSingleItem().ShouldStartWith("Prices__MinFetchInterval:");

    [Fact]
    public void Source_defaults_pass() => new PriceSourcesOptionsValidator().Validate(null, new PriceSourcesOptions()).Succeeded.ShouldBeTrue();

    [Fact]
    public void Bad_source_settings_each_name_their_setting()
    {
        var options = new PriceSourcesOptions();
        options.Pyth.BaseUrl = new Uri("ftp://hermes.example.org/");
        options.Coinbase.Timeout = TimeSpan.Zero;
        options.Binance.MaxRetries = 9;
        options.Binance.BreakAfterFailures = 1;
        options.Coinbase.BreakDuration = TimeSpan.FromMilliseconds(10);
        options.PythFeedIds["ARB"] = "0x1234";
        options.BinanceQuoteAsset = "US-DT";

        var failures = Fails(new PriceSourcesOptionsValidator().Validate(null, options));

        failures.Select(f => f[..f.IndexOf(':', StringComparison.Ordinal)]).ShouldBe(
        [
            "Prices__Pyth__BaseUrl", "Prices__Coinbase__Timeout", "Prices__Coinbase__BreakDuration", "Prices__Binance__MaxRetries",
            "Prices__Binance__BreakAfterFailures", "Prices__PythFeedIds__ARB", "Prices__BinanceQuoteAsset",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Job_defaults_pass() => Jobs(new JobsOptions(), DatabaseProvider.Sqlite).Succeeded.ShouldBeTrue();

    [Fact]
    public void Clustered_needs_postgres()
    {
        Fails(Jobs(new JobsOptions { Clustered = true }, DatabaseProvider.Sqlite)).ShouldHaveSingleItem().ShouldStartWith("Jobs__Clustered:");
        Jobs(new JobsOptions { Clustered = true }, DatabaseProvider.Postgres).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("0 0 0 * *")]
    [InlineData("midnight")]
    [InlineData("")]
    public void Daily_cron_must_parse(string cron) =>
        Fails(Jobs(new JobsOptions { DailyResetCron = cron }, DatabaseProvider.Sqlite)).ShouldHaveSingleItem().ShouldStartWith("Jobs__DailyResetCron:");

    [Fact]
    public void Intervals_have_floors()
    {
        var failures = Fails(Jobs(
            new JobsOptions { FeedHealthInterval = TimeSpan.Zero, RecoveryMinAge = TimeSpan.FromSeconds(1), ProcessedUpdatesRetention = TimeSpan.FromHours(1) },
            DatabaseProvider.Sqlite));
        failures.Count.ShouldBe(3);
        failures.ShouldContain(f => f.StartsWith("Jobs__FeedHealthInterval:", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Jobs__RecoveryMinAge:", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Jobs__ProcessedUpdatesRetention:", StringComparison.Ordinal));
    }

    private static ValidateOptionsResult Prices(PriceFeedOptions options, bool allowLive = false) =>
        new PriceFeedOptionsValidator(Options.Create(new TradingOptions { AllowLive = allowLive })).Validate(null, options);

    private static ValidateOptionsResult Jobs(JobsOptions options, DatabaseProvider provider) =>
        new JobsOptionsValidator(Options.Create(new DatabaseOptions { Provider = provider })).Validate(null, options);

    private static List<string> Fails(ValidateOptionsResult result)
    {
        result.Failed.ShouldBeTrue();
        return result.Failures!.ToList();
    }
}
