using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Telegram;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Prices;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Configuration;

// Every failure names the setting the way an operator writes it (environment-variable form), so the one line
// the process prints before stopping says exactly what to fix.

public sealed partial class TelegramOptionsValidator : IValidateOptions<TelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramOptions options)
    {
        var failures = new List<string>();
        var hasToken = !string.IsNullOrWhiteSpace(options.BotToken);
        if (hasToken && !TokenPattern().IsMatch(options.BotToken!))
        {
            failures.Add("Telegram__BotToken: not a bot token (expected <digits>:<letters, digits, _ or ->, as issued by @BotFather).");
        }

        if (!options.ApiBaseUrl.IsAbsoluteUri || (options.ApiBaseUrl.Scheme != Uri.UriSchemeHttps && options.ApiBaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Telegram__ApiBaseUrl: must be an absolute http(s) URL.");
        }

        switch (options.EffectiveTransport)
        {
            case TelegramTransportKind.Polling when !hasToken:
                failures.Add("Telegram__BotToken: required by Telegram__Transport=Polling.");
                break;
            case TelegramTransportKind.Webhook:
                if (!hasToken)
                {
                    failures.Add("Telegram__BotToken: required by Telegram__Transport=Webhook.");
                }

                if (options.WebhookUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                {
                    failures.Add("Telegram__WebhookUrl: required by Telegram__Transport=Webhook; an absolute https URL Telegram can reach.");
                }

                if (string.IsNullOrEmpty(options.WebhookSecret) || !SecretPattern().IsMatch(options.WebhookSecret))
                {
                    failures.Add("Telegram__WebhookSecret: required by Telegram__Transport=Webhook; 1-256 characters of A-Z, a-z, 0-9, _ and -.");
                }

                break;
        }

        if (options.ConsoleUserId <= 0)
        {
            failures.Add("Telegram__ConsoleUserId: must be a positive Telegram user id.");
        }

        if (options.PollingTimeoutSeconds is < 0 or > 50)
        {
            failures.Add("Telegram__PollingTimeoutSeconds: must be between 0 and 50.");
        }

        if (options.PollingConcurrency is < 1 or > 64)
        {
            failures.Add("Telegram__PollingConcurrency: must be between 1 (one update at a time) and 64.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add("Telegram__MaxRetries: must be between 0 and 10.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add("Telegram__RequestTimeout: must be positive.");
        }

        if (options.UpdateClaimAbandonAfter < TimeSpan.FromSeconds(1))
        {
            failures.Add("Telegram__UpdateClaimAbandonAfter: must be at least 1 second (and longer than any handler runs).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // \z, not $: $ also matches before a trailing newline, which a token or secret read from a file often has.
    [GeneratedRegex(@"^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}\z")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,256}\z")]
    private static partial Regex SecretPattern();
}

public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!Enum.IsDefined(options.Provider))
        {
            return ValidateOptionsResult.Fail("Database__Provider: must be Sqlite or Postgres.");
        }

        if (options.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail("ConnectionStrings__Main: required by Database__Provider=Postgres (e.g. Host=127.0.0.1;Database=vantabot;Username=vantabot;Password=...).");
        }

        try
        {
            _ = options.Provider == DatabaseProvider.Postgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(options.EffectiveConnectionString).ConnectionString
                : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.EffectiveConnectionString).ConnectionString;
        }
        catch (ArgumentException ex)
        {
            // The builder's message names the bad keyword, never the password's value.
            return ValidateOptionsResult.Fail($"ConnectionStrings__Main: not a valid {options.Provider} connection string ({ex.Message})");
        }

        if (options.ReadCacheTtl < TimeSpan.Zero || options.ReadCacheTtl > TimeSpan.FromMinutes(5))
        {
            return ValidateOptionsResult.Fail("Database__ReadCacheTtl: must be between 00:00:00 (off) and 00:05:00; it bounds how long a role or limit change made on another instance takes to apply here.");
        }

        if (options.SqliteWriterQueueTimeout < TimeSpan.Zero || options.SqliteWriterQueueTimeout > TimeSpan.FromSeconds(30))
        {
            return ValidateOptionsResult.Fail("Database__SqliteWriterQueueTimeout: must be between 00:00:00 (off) and 00:00:30, SQLite's own command timeout; it bounds how long an SQLite writer queues in this process before retrying on SQLite's lock.");
        }

        return ValidateOptionsResult.Success;
    }
}

public sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var failures = new List<string>();
        foreach (var id in (options.SuperAdminIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                failures.Add($"Access__SuperAdminIds: '{id}' is not a Telegram user id (expected a comma list of positive integers).");
            }
        }

        foreach (var id in (options.AllowList ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                failures.Add($"Access__AllowList: '{id}' is not a Telegram user id (expected a comma list of positive integers, or empty for everyone).");
            }
        }

        if (!Enum.IsDefined(options.DefaultRole) || options.DefaultRole >= Role.Admin)
        {
            failures.Add("Access__DefaultRole: must be Viewer, Trader or Operator (admins are granted, never defaulted).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public sealed class PriceFeedOptionsValidator(IOptions<TradingOptions> trading) : IValidateOptions<PriceFeedOptions>
{
    /// <summary>Sources this build can construct.</summary>
    public static IReadOnlyList<string> KnownSources => PriceSourcesRegistration.KnownSources;

    public ValidateOptionsResult Validate(string? name, PriceFeedOptions options)
    {
        var failures = new List<string>();
        var sources = options.SourceNames;
        if (sources.Count == 0)
        {
            failures.Add($"Prices__Sources: at least one source is required (available: {string.Join(", ", KnownSources)}).");
        }

        foreach (var unknown in sources.Except(KnownSources, StringComparer.Ordinal))
        {
            failures.Add($"Prices__Sources: unknown source '{unknown}' (available: {string.Join(", ", KnownSources)}).");
        }

        // Trading__AllowLive is the deployment's consent to real money, known before anything starts: a made-up
        // price must never be able to reach a LIVE order, so the combination does not start at all.
        if (sources.Contains(SimulatedPriceSource.SourceName) && trading.Value.AllowLive)
        {
            failures.Add("Prices__Sources: 'simulated' is allowed only in DRY mode, but Trading__AllowLive=true.");
        }

        if (options.PairSymbols.Count == 0 || options.PairSymbols.Any(symbol => !VantaBot.Trading.Markets.Pair.TryParse(symbol, out _)))
        {
            failures.Add("Prices__Pairs: must be a comma list of base symbols such as BTC,ETH,SOL.");
        }

        if (options.MaxQuoteAge <= TimeSpan.Zero)
        {
            failures.Add("Prices__MaxQuoteAge: must be positive.");
        }

        if (options.MaxDeviationFraction is <= 0m or >= 0.5m)
        {
            failures.Add("Prices__MaxDeviationFraction: must be above 0 and below 0.5 (0.005 = 0.5%).");
        }

        if (options.MaxJumpFraction is <= 0m or > 10m)
        {
            failures.Add("Prices__MaxJumpFraction: must be above 0 and at most 10 (0.10 = 10%).");
        }

        if (options.MaxQuoteAge > TimeSpan.Zero && (options.MinFetchInterval < TimeSpan.Zero || options.MinFetchInterval >= options.MaxQuoteAge))
        {
            failures.Add("Prices__MinFetchInterval: must be at least 00:00:00 and shorter than Prices__MaxQuoteAge.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        var urls = options.ParsedUrls;
        if (urls.Count == 0)
        {
            return ValidateOptionsResult.Fail("Health__Urls: at least one listen URL is required (e.g. http://127.0.0.1:8080).");
        }

        var bad = urls.Where(u => !Uri.TryCreate(u.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)).ToArray();
        return bad.Length == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Health__Urls: '{string.Join(", ", bad)}' is not an http(s) listen URL.");
    }
}

public sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Connection))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            var parsed = StackExchange.Redis.ConfigurationOptions.Parse(options.Connection);
            return parsed.EndPoints.Count > 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Redis__Connection: names no endpoint (expected host:port, e.g. 127.0.0.1:6379; empty for in-process mode).");
        }
        catch (ArgumentException)
        {
            // The parser's message may echo a password option; say only what is wrong.
            return ValidateOptionsResult.Fail("Redis__Connection: not a StackExchange.Redis configuration string (expected host:port[,option=value...]).");
        }
    }
}
