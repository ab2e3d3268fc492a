using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Prices;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.UnitTests.Prices;

/// <summary>
/// Each HTTP source against a local server speaking its API's real payload format: good answers, HTTP errors,
/// 429, timeouts, malformed JSON, absurd values, the circuit breaker, and a 1000x jump outvoted in the feed.
/// The sources are built by the production registration from configuration, as the bot builds them.
/// </summary>
public sealed class HttpPriceSourceTests : IAsyncLifetime
{
    private const string BtcFeedId = "e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43";
    private static readonly Pair Btc = Pair.Usd("BTC");

    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private LocalHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalHttpServer.StartAsync(LocalHttpServer.Json("{}"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Pyth_reads_price_times_ten_to_the_expo_dated_by_publish_time_and_sends_the_api_key()
    {
        var published = _clock.GetUtcNow().AddSeconds(-2).ToUnixTimeSeconds();
        _server.Handler = LocalHttpServer.Json(PythPayload(BtcFeedId, "9500012345678", -8, published));
        var pyth = Source("pyth", ("Prices:Pyth:ApiKey", "secret-key"));

        var quote = await pyth.GetQuoteAsync(Btc, default);

        quote.ShouldNotBeNull();
        quote.Price.ShouldBe(95000.12345678m);
        quote.Source.ShouldBe("pyth");
        quote.IsSimulated.ShouldBeFalse();
        quote.PublishedAt.ToUnixTimeSeconds().ShouldBe(published);
        var request = _server.Requests.ShouldHaveSingleItem();
        request.PathAndQuery.ShouldBe($"/v2/updates/price/latest?ids[]={BtcFeedId}&parsed=true");
        request.Authorization.ShouldBe("Bearer secret-key");
    }

    [Fact]
    public async Task Pyth_without_an_api_key_sends_no_authorization_and_only_prices_pairs_with_a_feed_id()
    {
        _server.Handler = LocalHttpServer.Json(PythPayload(BtcFeedId, "9500000000000", -8, _clock.GetUtcNow().ToUnixTimeSeconds()));
        var pyth = Source("pyth");

        (await pyth.GetQuoteAsync(Btc, default))!.Price.ShouldBe(95000m);
        _server.Requests.ShouldHaveSingleItem().Authorization.ShouldBeNull();

        // ARB has no default feed id: Pyth does not claim it and is never asked for it.
        pyth.SupportedPairs.ShouldNotContain(Pair.Usd("ARB"));
        (await pyth.GetQuoteAsync(Pair.Usd("ARB"), default)).ShouldBeNull();
        _server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Pyth_answer_without_the_asked_feed_is_a_failure()
    {
        _server.Handler = LocalHttpServer.Json(PythPayload(new string('1', 64), "1", 0, 0));
        var failure = await Should.ThrowAsync<PriceSourceException>(() => Source("pyth").GetQuoteAsync(Btc, default));
        failure.Message.ShouldContain("holds no feed");
    }

    [Theory]
    [InlineData("\"0\"", -8)]
    [InlineData("\"-9500000000000\"", -8)]
    [InlineData("\"NaN\"", -8)]
    [InlineData("\"12abc\"", -8)]
    [InlineData("\"1\"", 99)]
    public async Task Pyth_absurd_values_are_rejected(string price, int expo)
    {
        _server.Handler = LocalHttpServer.Json(PythPayload(BtcFeedId, price, expo, _clock.GetUtcNow().ToUnixTimeSeconds(), quoted: false));
        await Should.ThrowAsync<AbsurdPriceException>(() => Source("pyth").GetQuoteAsync(Btc, default));
    }

    [Fact]
    public async Task Coinbase_reads_the_last_trade_price_dated_by_its_time()
    {
        _server.Handler = LocalHttpServer.Json(
            """{"ask":"95010.5","bid":"95010.01","volume":"11234.5","trade_id":7301234,"price":"95010.25","size":"0.0012","time":"2026-11-22T11:59:58.123456Z"}""");

        var quote = await Source("coinbase").GetQuoteAsync(Btc, default);

        quote!.Price.ShouldBe(95010.25m);
        quote.PublishedAt.ShouldBe(new DateTimeOffset(2026, 11, 22, 11, 59, 58, 123, TimeSpan.Zero).AddTicks(4560));
        _server.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/products/BTC-USD/ticker");
    }

    [Fact]
    public async Task Binance_reads_the_usdt_ticker_dated_on_arrival()
    {
        _server.Handler = LocalHttpServer.Json("""{"symbol":"BTCUSDT","price":"95005.12000000"}""");

        var quote = await Source("binance").GetQuoteAsync(Btc, default);

        quote!.Price.ShouldBe(95005.12m);
        quote.PublishedAt.ShouldBe(_clock.GetUtcNow());
        _server.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/api/v3/ticker/price?symbol=BTCUSDT");
    }

    [Fact]
    public async Task Binance_answer_for_another_symbol_is_refused()
    {
        _server.Handler = LocalHttpServer.Json("""{"symbol":"ETHUSDT","price":"3400.00"}""");
        (await Should.ThrowAsync<PriceSourceException>(() => Source("binance").GetQuoteAsync(Btc, default))).Message.ShouldContain("answered for ETHUSDT");
    }

    [Theory]
    [InlineData("coinbase", """{"price":"0","time":"2026-11-22T12:00:00Z"}""")]
    [InlineData("coinbase", """{"price":"-1.5","time":"2026-11-22T12:00:00Z"}""")]
    [InlineData("coinbase", """{"price":"NaN","time":"2026-11-22T12:00:00Z"}""")]
    [InlineData("coinbase", """{"price":"Infinity","time":"2026-11-22T12:00:00Z"}""")]
    [InlineData("coinbase", """{"price":null,"time":"2026-11-22T12:00:00Z"}""")]
    [InlineData("binance", """{"symbol":"BTCUSDT","price":"abc"}""")]
    [InlineData("binance", """{"symbol":"BTCUSDT","price":"1e5"}""")]
    [InlineData("binance", """{"symbol":"BTCUSDT","price":0}""")]
    public async Task Absurd_ticker_values_are_rejected(string source, string payload)
    {
        _server.Handler = LocalHttpServer.Json(payload);
        await Should.ThrowAsync<AbsurdPriceException>(() => Source(source).GetQuoteAsync(Btc, default));
        _server.Requests.Count.ShouldBe(1); // bad data is not retried
    }

    [Theory]
    [InlineData("pyth")]
    [InlineData("coinbase")]
    [InlineData("binance")]
    public async Task A_429_is_a_failure_that_is_not_retried(string source)
    {
        _server.Handler = async context =>
        {
            context.Response.Headers.RetryAfter = "30";
            await LocalHttpServer.Json("""{"code":-1003,"msg":"Too many requests"}""", 429)(context);
        };

        var failure = await Should.ThrowAsync<PriceSourceException>(() => Source(source).GetQuoteAsync(Btc, default));

        failure.Message.ShouldBe($"{source}: rate limited (HTTP 429; retry after 30 s)");
        _server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_5xx_is_retried_once_and_a_recovery_on_retry_prices()
    {
        var calls = 0;
        _server.Handler = context => Interlocked.Increment(ref calls) == 1
            ? LocalHttpServer.Json("""{"message":"upstream"}""", 503)(context)
            : LocalHttpServer.Json("""{"price":"95000.5","time":"2026-11-22T12:00:00Z"}""")(context);

        (await Source("coinbase").GetQuoteAsync(Btc, default))!.Price.ShouldBe(95000.5m);
        _server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_persistent_5xx_fails_after_the_retry()
    {
        _server.Handler = LocalHttpServer.Json("""{"message":"down"}""", 500);
        (await Should.ThrowAsync<PriceSourceException>(() => Source("coinbase").GetQuoteAsync(Btc, default))).Message.ShouldBe("coinbase: HTTP 500");
        _server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_4xx_is_not_retried()
    {
        _server.Handler = LocalHttpServer.Json("""{"code":-1121,"msg":"Invalid symbol."}""", 400);
        (await Should.ThrowAsync<PriceSourceException>(() => Source("binance").GetQuoteAsync(Btc, default))).Message.ShouldBe("binance: HTTP 400");
        _server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_hanging_source_times_out_per_attempt()
    {
        _server.Handler = async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        var source = Source("binance", ("Prices:Binance:Timeout", "00:00:00.300"));

        var started = DateTimeOffset.UtcNow;
        var failure = await Should.ThrowAsync<PriceSourceException>(() => source.GetQuoteAsync(Btc, default));

        failure.Message.ShouldBe("binance: no answer within 0.3 s");
        _server.Requests.Count.ShouldBe(2);
        (DateTimeOffset.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Malformed_json_is_a_failure_and_not_retried()
    {
        _server.Handler = LocalHttpServer.Json("""{"symbol":"BTCUSDT","price":""");
        (await Should.ThrowAsync<PriceSourceException>(() => Source("binance").GetQuoteAsync(Btc, default))).Message.ShouldBe("binance: malformed JSON");

        _server.Handler = LocalHttpServer.Json("""["not","an","object"]""");
        (await Should.ThrowAsync<PriceSourceException>(() => Source("coinbase").GetQuoteAsync(Btc, default))).Message.ShouldContain("malformed payload");

        _server.Handler = LocalHttpServer.Json("""{"binary":{"encoding":"hex","data":[]}}""");
        (await Should.ThrowAsync<PriceSourceException>(() => Source("pyth").GetQuoteAsync(Btc, default))).Message.ShouldContain("'parsed' missing");
        _server.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_and_the_source_is_left_alone()
    {
        _server.Handler = LocalHttpServer.Json("{}", 500);
        var source = Source("coinbase", ("Prices:Coinbase:MaxRetries", "0"), ("Prices:Coinbase:BreakAfterFailures", "2"), ("Prices:Coinbase:BreakDuration", "00:01:00"));

        await Should.ThrowAsync<PriceSourceException>(() => source.GetQuoteAsync(Btc, default));
        await Should.ThrowAsync<PriceSourceException>(() => source.GetQuoteAsync(Btc, default));
        var open = await Should.ThrowAsync<PriceSourceException>(() => source.GetQuoteAsync(Btc, default));

        open.Message.ShouldBe("coinbase: circuit open after repeated failures; not asked for 60 s");
        _server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task In_the_feed_a_thousandfold_jump_of_one_exchange_is_dropped_and_the_other_two_price()
    {
        await using var coinbase = await LocalHttpServer.StartAsync(LocalHttpServer.Json("""{"price":"95010.00","time":"TIME"}""".Replace("TIME", _clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        await using var binance = await LocalHttpServer.StartAsync(LocalHttpServer.Json("""{"symbol":"BTCUSDT","price":"95000000.00"}"""));
        _server.Handler = LocalHttpServer.Json(PythPayload(BtcFeedId, "9500000000000", -8, _clock.GetUtcNow().ToUnixTimeSeconds()));
        using var services = Services(
            ("Prices:Sources", "pyth,coinbase,binance"),
            ("Prices:Coinbase:BaseUrl", coinbase.BaseUrl.ToString()),
            ("Prices:Binance:BaseUrl", binance.BaseUrl.ToString()));

        var reading = await services.GetRequiredService<IPriceFeed>().GetPriceAsync(Btc, default);

        reading!.Quote.Price.ShouldBe(95005m);
        reading.Sources.ShouldBe(["coinbase", "pyth"]);
        reading.Confidence.ShouldBe(0.6667m);
        reading.IsStale.ShouldBeFalse();
    }

    private IPriceSource Source(string name, params (string Key, string Value)[] settings) =>
        Services([("Prices:Sources", name), .. settings]).GetServices<IPriceSource>().Single(s => s.Name == name);

    private ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Prices:Pairs"] = "BTC,ETH,ARB",
            ["Prices:Pyth:BaseUrl"] = _server.BaseUrl.ToString(),
            ["Prices:Coinbase:BaseUrl"] = _server.BaseUrl.ToString(),
            ["Prices:Binance:BaseUrl"] = _server.BaseUrl.ToString(),
            ["Prices:Pyth:RetryDelay"] = "00:00:00.010",
            ["Prices:Coinbase:RetryDelay"] = "00:00:00.010",
            ["Prices:Binance:RetryDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddOptions<PriceFeedOptions>().Bind(config.GetSection(PriceFeedOptions.Section));
        services.AddVantaBotPrices(config);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IOptions<PriceSourcesOptions>>().Value.ShouldNotBeNull();
        return provider;
    }

    private static string PythPayload(string id, string price, int expo, long publishTime, bool quoted = true)
    {
        var value = quoted ? $"\"{price}\"" : price;
        return $$$"""
            {"binary":{"encoding":"hex","data":["504e4155"]},
             "parsed":[{"id":"{{{id}}}",
                        "price":{"price":{{{value}}},"conf":"4500000","expo":{{{expo}}},"publish_time":{{{publishTime}}}},
                        "ema_price":{"price":"9499000000000","conf":"4400000","expo":{{{expo}}},"publish_time":{{{publishTime}}}},
                        "metadata":{"slot":123,"proof_available_time":{{{publishTime}}},"prev_publish_time":{{{publishTime - 1}}}}}]}
            """;
    }
}
