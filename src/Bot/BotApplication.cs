using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;
using VantaBot.Bot.Admin;
using VantaBot.Bot.Commands;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Health;
using VantaBot.Bot.Jobs;
using VantaBot.Bot.Perps;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Bot.Transports;
using VantaBot.Bot.Wallets;
using VantaBot.Infrastructure.Metrics;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Prices;
using VantaBot.Infrastructure.Redis;
using VantaBot.Risk;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Prices;

namespace VantaBot.Bot;

/// <summary>The composition root: the only place that knows every layer.</summary>
public static class BotApplication
{
    /// <param name="customize">Runs first, e.g. to layer configuration.</param>
    /// <param name="overrideServices">Runs after every registration (tests replace a port with a fake of it here).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null, Action<IServiceCollection>? overrideServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        customize?.Invoke(builder);
        var config = builder.Configuration;
        var services = builder.Services;

        var telegram = config.GetSection(TelegramOptions.Section).Get<TelegramOptions>() ?? new TelegramOptions();
        var database = BindDatabase(config);
        var health = config.GetSection(HealthOptions.Section).Get<HealthOptions>() ?? new HealthOptions();

        ConfigureLogging(builder, telegram.EffectiveTransport);
        builder.WebHost.UseUrls([.. health.ParsedUrls]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Host.ConfigureHostOptions(host => host.ShutdownTimeout = TimeSpan.FromSeconds(20));

        AddValidatedOptions<TelegramOptions, TelegramOptionsValidator>(services, config, TelegramOptions.Section);
        AddValidatedOptions<AccessOptions, AccessOptionsValidator>(services, config, AccessOptions.Section);
        AddValidatedOptions<PriceFeedOptions, PriceFeedOptionsValidator>(services, config, PriceFeedOptions.Section);
        AddValidatedOptions<HealthOptions, HealthOptionsValidator>(services, config, HealthOptions.Section);
        services.AddOptions<TradingOptions>().Bind(config.GetSection(TradingOptions.Section));
        AddValidatedOptions<RedisOptions, RedisOptionsValidator>(services, config, RedisOptions.Section);
        services.AddOptions<DatabaseOptions>()
            .Configure(o =>
            {
                o.Provider = database.Provider;
                o.ConnectionString = database.ConnectionString;
                o.HealthCheckTimeout = database.HealthCheckTimeout;
                o.ReadCacheTtl = database.ReadCacheTtl;
                o.SqliteWriterQueueTimeout = database.SqliteWriterQueueTimeout;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        services.AddSingleton(TimeProvider.System);
        services.AddVantaBotPersistence(database);
        AddPrices(services);
        services.AddVantaBotPrices(config);
        services.AddVantaBotJobs(config, database);
        AddTrading(services, config);
        Limits.LimitsRegistration.AddLimits(services, config);
        AddPipeline(services);
        services.AddAdmin(config);
        Evm.EvmRegistration.AddEvm(services, config);
        services.AddWallets(config, database);
        Evm.EvmSwapsRegistration.AddEvmSwaps(services, config);
        Copy.CopyWatcherRegistration.AddCopyWatcher(services, config);
        Swaps.SwapsRegistration.AddSwaps(services, config);
        Copy.CopyCommandsRegistration.AddCopyCommands(services, config);
        Copy.CopyMirroringRegistration.AddCopyMirroring(services, config);
        AddTransport(services, telegram.EffectiveTransport);

        services.AddMetrics();
        services.AddSingleton(sp => new PrometheusExporter(new MetricsExportOptions { MeterNames = [BotMetrics.MeterName], Scope = sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>() }));
        var healthChecks = services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadinessTag])
            .AddCheck<TransportHealthCheck>("transport", tags: [HealthEndpoints.ReadinessTag]);
        var redis = config.GetSection(RedisOptions.Section).Get<RedisOptions>();
        if (!string.IsNullOrWhiteSpace(redis?.Connection))
        {
            // Empty means embedded mode: in-process state, nothing to check.
            services.AddSingleton(sp => new RedisConnection(redis.Connection, sp.GetRequiredService<ILogger<RedisConnection>>()));
            healthChecks.AddCheck<RedisHealthCheck>("redis", tags: [HealthEndpoints.ReadinessTag]);
        }

        overrideServices?.Invoke(services);
        var app = builder.Build();

        // Created now so it listens from the first update on, not from the first scrape.
        app.Services.GetRequiredService<PrometheusExporter>();
        app.MapOperatorEndpoints();
        if (telegram.EffectiveTransport == TelegramTransportKind.Webhook && telegram.WebhookUrl is not null && telegram.WebhookSecret is not null)
        {
            app.MapTelegramWebhook(telegram);
        }

        return app;
    }

    private static DatabaseOptions BindDatabase(IConfiguration config)
    {
        var database = config.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        database.ConnectionString = config.GetConnectionString("Main") ?? database.ConnectionString;
        return database;
    }

    private static void AddValidatedOptions<TOptions, TValidator>(IServiceCollection services, IConfiguration config, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(config.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }

    private static void AddPrices(IServiceCollection services)
    {
        services.AddSingleton<PriceFormatter>();
    }

    private static void AddTrading(IServiceCollection services, IConfiguration config)
    {
        AddValidatedOptions<RiskOptions, RiskOptionsValidator>(services, config, RiskOptions.Section);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RiskOptions>>();
            return new LeverageSafetyManager(LeverageSafetyManager.BuiltInRules(options), options);
        });
        services.AddSingleton<IPerpMarketCatalog, DefaultPerpMarkets>();

        // DRY is the only execution mode so far: the paper venue is the venue. A live venue will be a second
        // IPerpVenue chosen per order by the execution-mode policy, never a flag inside this one.
        services.AddSingleton<IPerpVenue, PaperPerpVenue>();
        services.AddScoped<PerpTradeService>();
        services.AddScoped<TradeGates>();
        services.AddScoped<PerpCloseService>();
        services.AddScoped<PortfolioValuation>();
        services.AddScoped<PositionProtectionService>();
        services.AddScoped<PositionMonitor>();
        services.AddSingleton<ITradeNotifier, ChatTradeNotifier>();
        AddValidatedOptions<PerpsOptions, PerpsOptionsValidator>(services, config, PerpsOptions.Section);
        services.AddHostedService<PositionMonitorService>();
        services.AddScoped<IntentRecovery>();
        services.AddHostedService<StartupRecovery>();
    }

    private static void AddPipeline(IServiceCollection services)
    {
        services.AddSingleton<BotMetrics>();
        services.AddSingleton<BotIdentity>();
        services.AddSingleton<UpdatePipeline>();
        AddCommand<StartCommand>(services);
        AddCommand<HelpCommand>(services);
        AddCommand<PriceCommand>(services);
        AddCommand<PriceFeedsCommand>(services);
        AddCommand<DepositCommand>(services);
        AddCommand<BalanceCommand>(services);
        AddCommand<LongCommand>(services);
        AddCommand<ShortCommand>(services);
        AddCommand<PositionsCommand>(services);
        AddCommand<CloseCommand>(services);
        AddCommand<TakeProfitCommand>(services);
        AddCommand<StopLossCommand>(services);
        AddCommand<PnlCommand>(services);
        AddCommand<HistoryCommand>(services);
        services.AddScoped<ProtectionFlow>();
        AddCallback<ConfirmOrderCallback>(services, OpenPositionFlow.ConfirmPrefix);
        AddCallback<CancelOrderCallback>(services, OpenPositionFlow.CancelPrefix);
        services.AddScoped<OpenPositionFlow>();
        services.AddSingleton<PendingConfirmations>();
        AddCallback<PriceRefreshCallback>(services, PriceFormatter.RefreshPrefix);
        services.AddSingleton<CommandCatalog>();
    }

    private static void AddCommand<THandler>(IServiceCollection services)
        where THandler : class, ICommandHandler, ICommandMetadata
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new CommandInfo(THandler.Command, THandler.MinimumRole, THandler.Usage, THandler.Description, typeof(THandler), THandler.IsTradingAction));
    }

    /// <summary>Keyed by callback-data prefix, so a button press builds only its own handler.</summary>
    private static void AddCallback<THandler>(IServiceCollection services, string prefix)
        where THandler : class, ICallbackHandler =>
        services.AddKeyedScoped<ICallbackHandler, THandler>(prefix);

    private static void AddTransport(IServiceCollection services, TelegramTransportKind kind)
    {
        services.AddSingleton(new TransportStatus { Kind = kind });
        services.AddTelegramBotApi();
        services.AddSingleton<BotApiReplyChannel>();
        services.AddSingleton<TelegramStartup>();

        // The channel for messages nobody asked for (TP/SL notices): the transport's own.
        services.AddSingleton<IReplyChannel>(sp => kind == TelegramTransportKind.Console
            ? sp.GetRequiredService<ConsoleReplyChannel>()
            : sp.GetRequiredService<BotApiReplyChannel>());
        switch (kind)
        {
            case TelegramTransportKind.Polling:
                services.AddHostedService<PollingTransport>();
                break;
            case TelegramTransportKind.Webhook:
                services.AddHostedService<WebhookTransport>();
                break;
            case TelegramTransportKind.Console:
                services.AddSingleton(_ => ConsoleIo.Standard());
                services.AddSingleton<ConsoleReplyChannel>();
                services.AddHostedService<ConsoleTransport>();
                break;
        }
    }

    private static void ConfigureLogging(WebApplicationBuilder builder, TelegramTransportKind transport)
    {
        // The Console transport owns stdout for the chat, so logs go to stderr there.
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            // Request URIs of Bot API calls contain the token: HttpClient logging stays off.
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(new JsonFormatter(renderMessage: true), standardErrorFromLevel: transport == TelegramTransportKind.Console ? LogEventLevel.Verbose : null)
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
    }
}
