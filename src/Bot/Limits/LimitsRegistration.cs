using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Outbound;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence.Limits;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.Infrastructure.Redis;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Limits;

namespace VantaBot.Bot.Limits;

/// <summary>Per-user rate limits (Redis or in-process), their gates and admin commands, the outbound queue and the outbox relay.</summary>
public static class LimitsRegistration
{
    private const string OutboundHttpClient = "VantaBot.Outbound";

    public static IServiceCollection AddLimits(this IServiceCollection services, IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        services.AddOptions<LimitsOptions>().Bind(config.GetSection(LimitsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        services.AddOptions<OutboundOptions>().Bind(config.GetSection(OutboundOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboundOptions>, OutboundOptionsValidator>();

        // Same rule as the readiness check: a configured Redis is the store; none means one instance, in memory.
        var redis = config.GetSection(RedisOptions.Section).Get<RedisOptions>();
        if (string.IsNullOrWhiteSpace(redis?.Connection))
        {
            services.AddSingleton<IRateLimitStore, InProcessRateLimitStore>();
        }
        else
        {
            services.AddSingleton<IRateLimitStore, RedisRateLimitStore>();
        }

        services.AddSingleton<LimiterHealth>();
        services.AddScoped<IRateLimitOverrides, RateLimitOverrideStore>();
        services.AddScoped<RateLimiter>();
        services.AddScoped<IUpdateGate, MessageRateGate>();
        services.AddScoped<ITradeGate, TradeRateGate>();
        AddCommand<RateLimitsCommand>(services);
        AddCommand<SetLimitCommand>(services);

        AddOutbound(services, config);
        return services;
    }

    private static void AddOutbound(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<OutboundMetrics>();
        services.AddScoped<OutboxStore>();
        services.AddSingleton<IOutboxAcknowledger, OutboxAcknowledger>();
        services.AddHttpClient(OutboundHttpClient, client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton<IOutboundSender>(sp =>
        {
            var telegram = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;

            // The queue owns retries (429 retry_after per chat, backoff), so its client makes exactly one attempt per call.
            var oneAttempt = new TelegramOptions
            {
                BotToken = telegram.BotToken,
                ApiBaseUrl = telegram.ApiBaseUrl,
                RequestTimeout = telegram.RequestTimeout,
                MaxRetryAfter = telegram.MaxRetryAfter,
                MaxRetries = 0,
            };
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(OutboundHttpClient);
            return new TelegramOutboundSender(new TelegramBotApiClient(http, Options.Create(oneAttempt), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TelegramBotApiClient>>()));
        });
        services.AddSingleton<OutboundQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboundQueue>());

        // The console chat prints replies directly; there is no Telegram to relay outbox rows to.
        var telegramOptions = config.GetSection(TelegramOptions.Section).Get<TelegramOptions>() ?? new TelegramOptions();
        if (telegramOptions.EffectiveTransport != TelegramTransportKind.Console)
        {
            services.AddHostedService<OutboxRelay>();
        }
    }

    private static void AddCommand<THandler>(IServiceCollection services)
        where THandler : class, ICommandHandler, ICommandMetadata
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new CommandInfo(THandler.Command, THandler.MinimumRole, THandler.Usage, THandler.Description, typeof(THandler), THandler.IsTradingAction));
    }
}
