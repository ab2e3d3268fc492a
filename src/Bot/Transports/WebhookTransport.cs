using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Transports;

/// <summary>
/// Registers the webhook with Telegram once the database is ready, retrying until it succeeds. Updates arrive
/// at <see cref="WebhookEndpoint"/>. The webhook is left in place on shutdown: other instances still serve it.
/// </summary>
public sealed class WebhookTransport(
    ITelegramBotApi api,
    TelegramStartup startup,
    DatabaseReadiness database,
    TransportStatus status,
    TimeProvider time,
    IOptions<TelegramOptions> options,
    ILogger<WebhookTransport> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await database.WaitAsync(stoppingToken);
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await startup.IntroduceAsync(stoppingToken);
                await api.SetWebhookAsync(settings.WebhookUrl!, settings.WebhookSecret!, stoppingToken);
                status.Connected();
                logger.LogInformation("Webhook registered at {Path}", settings.WebhookUrl!.AbsolutePath);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var reason = ex is TelegramApiException apiError ? $"{apiError.ErrorCode} {apiError.Description}" : ex.GetType().Name;
                status.Disconnected($"setWebhook failed: {reason}");
                logger.LogError("setWebhook failed ({Reason}); retrying in {Delay}", reason, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(60).Ticks));
            }
        }
    }
}
