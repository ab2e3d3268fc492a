using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Telegram;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Configuration;

public sealed class OptionsValidatorsTests
{
    private const string ValidToken = "123456789:AAHk3_xYz-0123456789abcdefABCDEF";

    // ---- Telegram ----

    [Fact]
    public void Telegram_defaults_pass() => Succeeds(Telegram(new TelegramOptions()));

    [Fact]
    public void Telegram_polling_with_a_token_passes() =>
        Succeeds(Telegram(new TelegramOptions { BotToken = ValidToken, Transport = TelegramTransportKind.Polling }));

    [Fact]
    public void Telegram_webhook_fully_configured_passes() =>
        Succeeds(Telegram(Webhook(secret: new string('s', 256))));

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("123456789")]
    [InlineData("123456789:")]
    [InlineData("abc:AAHk3_xYz-0123456789abcdefABCDEF")]
    [InlineData("123456789:short")]
    [InlineData("123456789:AAHk3 xYz 0123456789abcdefABCDEF")]
    [InlineData("123456789:AAHk3_xYz-0123456789abcdefABCDEF\n")]
    [InlineData("bot123456789:AAHk3_xYz-0123456789abcdefABCDEF")]
    public void Telegram_malformed_token_is_rejected_without_echoing_it(string token)
    {
        var failures = Fails(Telegram(new TelegramOptions { BotToken = token }));
        failures.ShouldContain(f => f.StartsWith("Telegram__BotToken:", StringComparison.Ordinal));
        foreach (var failure in failures)
        {
            failure.ShouldNotContain(token.Trim());
        }
    }

    [Fact]
    public void Telegram_no_failure_message_ever_contains_the_token()
    {
        // Token well-formed, everything else wrong: still no message may carry the secret.
        var options = new TelegramOptions
        {
            BotToken = ValidToken,
            Transport = TelegramTransportKind.Webhook,
            WebhookSecret = "bad secret",
            ConsoleUserId = 0,
            PollingTimeoutSeconds = 99,
            MaxRetries = -1,
            RequestTimeout = TimeSpan.Zero,
            ApiBaseUrl = new Uri("ftp://example.org"),
        };
        var failures = Fails(Telegram(options));
        failures.Count.ShouldBeGreaterThanOrEqualTo(6);
        foreach (var failure in failures)
        {
            failure.ShouldNotContain(ValidToken);
            failure.ShouldNotContain(ValidToken.Split(':')[1]);
            failure.ShouldStartWith("Telegram__");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Telegram_polling_concurrency_outside_1_to_64_is_rejected(int concurrency) =>
        Fails(Telegram(new TelegramOptions { PollingConcurrency = concurrency }))
            .ShouldBe(["Telegram__PollingConcurrency: must be between 1 (one update at a time) and 64."]);

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void Telegram_update_claim_abandon_age_below_a_second_is_rejected(int seconds) =>
        Fails(Telegram(new TelegramOptions { UpdateClaimAbandonAfter = TimeSpan.FromSeconds(seconds) }))
            .ShouldBe(["Telegram__UpdateClaimAbandonAfter: must be at least 1 second (and longer than any handler runs)."]);

    [Fact]
    public void Telegram_polling_without_token_is_rejected() =>
        Fails(Telegram(new TelegramOptions { Transport = TelegramTransportKind.Polling }))
            .ShouldBe(["Telegram__BotToken: required by Telegram__Transport=Polling."]);

    [Fact]
    public void Telegram_webhook_without_url_secret_or_token_names_each()
    {
        var failures = Fails(Telegram(new TelegramOptions { Transport = TelegramTransportKind.Webhook }));
        failures.Count.ShouldBe(3);
        failures.ShouldContain(f => f.StartsWith("Telegram__BotToken:", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Telegram__WebhookUrl:", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Telegram__WebhookSecret:", StringComparison.Ordinal));
    }

    [Fact]
    public void Telegram_webhook_without_url_is_rejected() =>
        Fails(Telegram(Webhook(url: null))).ShouldHaveSingleItem().ShouldStartWith("Telegram__WebhookUrl:");

    [Fact]
    public void Telegram_webhook_with_relative_or_non_http_url_is_rejected()
    {
        Fails(Telegram(Webhook(url: "/hook"))).ShouldHaveSingleItem().ShouldStartWith("Telegram__WebhookUrl:");
        Fails(Telegram(Webhook(url: "ftp://bot.example.org/hook"))).ShouldHaveSingleItem().ShouldStartWith("Telegram__WebhookUrl:");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("tab\tsecret")]
    [InlineData("semi;colon")]
    [InlineData("ümlaut")]
    [InlineData("s3cret\n")]
    public void Telegram_webhook_secret_must_be_1_to_256_safe_characters(string? secret) =>
        Fails(Telegram(Webhook(secret))).ShouldHaveSingleItem().ShouldStartWith("Telegram__WebhookSecret:");

    [Fact]
    public void Telegram_webhook_secret_of_257_characters_is_rejected_and_256_accepted()
    {
        Fails(Telegram(Webhook(new string('a', 257)))).ShouldHaveSingleItem().ShouldStartWith("Telegram__WebhookSecret:");
        Succeeds(Telegram(Webhook(new string('a', 256))));
        Succeeds(Telegram(Webhook("a")));
        Succeeds(Telegram(Webhook("A-z_0-9")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Telegram_console_user_id_must_be_positive(long id) =>
        Fails(Telegram(new TelegramOptions { ConsoleUserId = id })).ShouldHaveSingleItem().ShouldStartWith("Telegram__ConsoleUserId:");

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(50, true)]
    [InlineData(51, false)]
    public void Telegram_polling_timeout_bounds(int seconds, bool valid)
    {
        var result = Telegram(new TelegramOptions { PollingTimeoutSeconds = seconds });
        if (valid)
        {
            Succeeds(result);
        }
        else
        {
            Fails(result).ShouldHaveSingleItem().ShouldStartWith("Telegram__PollingTimeoutSeconds:");
        }
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void Telegram_max_retries_bounds(int retries, bool valid)
    {
        var result = Telegram(new TelegramOptions { MaxRetries = retries });
        if (valid)
        {
            Succeeds(result);
        }
        else
        {
            Fails(result).ShouldHaveSingleItem().ShouldStartWith("Telegram__MaxRetries:");
        }
    }

    // ---- Database ----

    [Fact]
    public void Database_sqlite_default_passes() => Succeeds(Database(new DatabaseOptions()));

    [Fact]
    public void Database_postgres_with_connection_string_passes() =>
        Succeeds(Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Host=127.0.0.1;Database=vantabot;Username=vantabot;Password=pw" }));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Database_postgres_without_connection_string_is_rejected(string? connectionString) =>
        Fails(Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString }))
            .ShouldHaveSingleItem().ShouldStartWith("ConnectionStrings__Main: required by Database__Provider=Postgres");

    [Theory]
    [InlineData(-1)]
    [InlineData(301)]
    public void Database_read_cache_ttl_outside_zero_to_five_minutes_is_rejected(int seconds) =>
        Fails(Database(new DatabaseOptions { ReadCacheTtl = TimeSpan.FromSeconds(seconds) }))
            .ShouldHaveSingleItem().ShouldStartWith("Database__ReadCacheTtl: must be between 00:00:00 (off) and 00:05:00");

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public void Database_read_cache_ttl_of_zero_to_five_minutes_passes(int seconds) =>
        Succeeds(Database(new DatabaseOptions { ReadCacheTtl = TimeSpan.FromSeconds(seconds) }));

    [Theory]
    [InlineData(-1)]
    [InlineData(31)]
    public void Database_sqlite_writer_queue_timeout_outside_zero_to_thirty_seconds_is_rejected(int seconds) =>
        Fails(Database(new DatabaseOptions { SqliteWriterQueueTimeout = TimeSpan.FromSeconds(seconds) }))
            .ShouldHaveSingleItem().ShouldStartWith("Database__SqliteWriterQueueTimeout: must be between 00:00:00 (off) and 00:00:30");

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void Database_sqlite_writer_queue_timeout_of_zero_to_thirty_seconds_passes(int seconds) =>
        Succeeds(Database(new DatabaseOptions { SqliteWriterQueueTimeout = TimeSpan.FromSeconds(seconds) }));

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public void Database_malformed_connection_string_is_rejected(DatabaseProvider provider) =>
        Fails(Database(new DatabaseOptions { Provider = provider, ConnectionString = "Host=;;;==" }))
            .ShouldHaveSingleItem().ShouldStartWith($"ConnectionStrings__Main: not a valid {provider} connection string");

    [Fact]
    public void Database_rejection_does_not_echo_the_password()
    {
        var failure = Fails(Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Host=db;Password=hunter2-secret;Bogus Keyword=1" }))
            .ShouldHaveSingleItem();
        failure.ShouldStartWith("ConnectionStrings__Main:");
        failure.ShouldNotContain("hunter2-secret");
    }

    [Fact]
    public void Database_undefined_provider_is_rejected() =>
        Fails(Database(new DatabaseOptions { Provider = (DatabaseProvider)7 })).ShouldHaveSingleItem().ShouldStartWith("Database__Provider:");

    // ---- Access ----

    [Fact]
    public void Access_defaults_pass() => Succeeds(Access(new AccessOptions()));

    [Theory]
    [InlineData("1")]
    [InlineData("1,2,3")]
    [InlineData(" 42 , 9007199254740993 ,")]
    [InlineData("")]
    public void Access_valid_super_admin_lists_pass(string ids) => Succeeds(Access(new AccessOptions { SuperAdminIds = ids }));

    [Fact]
    public void Access_each_bad_super_admin_id_is_named()
    {
        var failures = Fails(Access(new AccessOptions { SuperAdminIds = "1,abc,-5" }));
        failures.Count.ShouldBe(2);
        failures.ShouldAllBe(f => f.StartsWith("Access__SuperAdminIds:", StringComparison.Ordinal));
        failures.ShouldContain(f => f.Contains("'abc'"));
        failures.ShouldContain(f => f.Contains("'-5'"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("+5")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    [InlineData("1 2")]
    public void Access_other_bad_ids_are_rejected(string ids) =>
        Fails(Access(new AccessOptions { SuperAdminIds = ids })).ShouldHaveSingleItem().ShouldStartWith("Access__SuperAdminIds:");

    [Theory]
    [InlineData(Role.Admin)]
    [InlineData(Role.SuperAdmin)]
    [InlineData((Role)99)]
    public void Access_default_role_admin_or_above_is_rejected(Role role) =>
        Fails(Access(new AccessOptions { DefaultRole = role })).ShouldHaveSingleItem().ShouldStartWith("Access__DefaultRole:");

    [Theory]
    [InlineData(Role.Viewer)]
    [InlineData(Role.Trader)]
    [InlineData(Role.Operator)]
    public void Access_default_role_below_admin_passes(Role role) => Succeeds(Access(new AccessOptions { DefaultRole = role }));

    // ---- Prices ----

    [Fact]
    public void Prices_defaults_pass() => Succeeds(Prices(new PriceFeedOptions()));

    [Fact]
    public void Prices_names_are_case_insensitive_and_deduplicated() =>
        Succeeds(Prices(new PriceFeedOptions { Sources = " Simulated , simulated " }));

    [Fact]
    public void Prices_unknown_source_is_named()
    {
        var failure = Fails(Prices(new PriceFeedOptions { Sources = "simulated,bogus" })).ShouldHaveSingleItem();
        failure.ShouldStartWith("Prices__Sources:");
        failure.ShouldContain("'bogus'");
    }

    [Fact]
    public void Prices_simulated_with_live_trading_allowed_is_rejected() =>
        Fails(Prices(new PriceFeedOptions(), allowLive: true)).ShouldHaveSingleItem().ShouldStartWith("Prices__Sources: 'simulated'");

    [Theory]
    [InlineData("")]
    [InlineData(" , ,")]
    public void Prices_empty_sources_are_rejected(string sources) =>
        Fails(Prices(new PriceFeedOptions { Sources = sources })).ShouldHaveSingleItem().ShouldStartWith("Prices__Sources:");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Prices_max_quote_age_must_be_positive(int seconds) =>
        Fails(Prices(new PriceFeedOptions { MaxQuoteAge = TimeSpan.FromSeconds(seconds) })).ShouldHaveSingleItem().ShouldStartWith("Prices__MaxQuoteAge:");

    // ---- Health ----

    [Fact]
    public void Health_defaults_pass() => Succeeds(Health(new HealthOptions()));

    [Theory]
    [InlineData("http://0.0.0.0:8080;http://127.0.0.1:9090")]
    [InlineData("http://+:8080")]
    [InlineData("http://*:8080, https://localhost:8443")]
    public void Health_http_urls_pass(string urls) => Succeeds(Health(new HealthOptions { Urls = urls }));

    [Theory]
    [InlineData("ftp://x")]
    [InlineData("")]
    [InlineData(" ; , ")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:8080;ftp://x")]
    public void Health_bad_urls_are_rejected(string urls) =>
        Fails(Health(new HealthOptions { Urls = urls })).ShouldHaveSingleItem().ShouldStartWith("Health__Urls:");

    // ---- helpers ----

    private static TelegramOptions Webhook(string? secret = "s3cret_-X", string? url = "https://bot.example.org/telegram") => new()
    {
        BotToken = ValidToken,
        Transport = TelegramTransportKind.Webhook,
        WebhookUrl = url is null ? null : new Uri(url, UriKind.RelativeOrAbsolute),
        WebhookSecret = secret,
    };

    private static ValidateOptionsResult Telegram(TelegramOptions options) => new TelegramOptionsValidator().Validate(null, options);

    private static ValidateOptionsResult Database(DatabaseOptions options) => new DatabaseOptionsValidator().Validate(null, options);

    private static ValidateOptionsResult Access(AccessOptions options) => new AccessOptionsValidator().Validate(null, options);

    private static ValidateOptionsResult Prices(PriceFeedOptions options, bool allowLive = false) =>
        new PriceFeedOptionsValidator(Options.Create(new TradingOptions { AllowLive = allowLive })).Validate(null, options);

    private static ValidateOptionsResult Health(HealthOptions options) => new HealthOptionsValidator().Validate(null, options);

    private static void Succeeds(ValidateOptionsResult result) =>
        result.Succeeded.ShouldBeTrue(result.FailureMessage);

    private static List<string> Fails(ValidateOptionsResult result)
    {
        result.Failed.ShouldBeTrue();
        return result.Failures!.ToList();
    }
}
