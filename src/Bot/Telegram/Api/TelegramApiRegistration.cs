using Microsoft.Extensions.DependencyInjection;

namespace VantaBot.Bot.Telegram.Api;

public static class TelegramApiRegistration
{
    /// <summary>
    /// Registers <see cref="TelegramBotApiClient"/> as the typed HttpClient behind <see cref="ITelegramBotApi"/>.
    /// Expects <c>IOptions&lt;TelegramOptions&gt;</c> and <see cref="TimeProvider"/> to be registered elsewhere.
    /// HttpClient.Timeout is infinite: the client enforces RequestTimeout per call (getUpdates adds its long-poll time).
    /// IHttpClientFactory's request loggers are removed because they log the URL, and the URL holds the bot token.
    /// </summary>
    public static IHttpClientBuilder AddTelegramBotApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services
            .AddHttpClient<ITelegramBotApi, TelegramBotApiClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
    }
}
