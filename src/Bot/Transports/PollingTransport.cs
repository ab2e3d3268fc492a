using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Transports;

/// <summary>
/// Long polling. Updates are handled one at a time in update_id order; on shutdown the loop stops fetching and
/// the update in hand is finished (it is not given the stopping token).
/// </summary>
public sealed class PollingTransport(
    ITelegramBotApi api,
    TelegramStartup startup,
    UpdatePipeline pipeline,
    BotApiReplyChannel replies,
    DatabaseReadiness database,
    IServiceScopeFactory scopes,
    TransportStatus status,
    TimeProvider time,
    IOptions<TelegramOptions> options,
    ILogger<PollingTransport> logger) : BackgroundService
{
    private const int BatchLimit = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await database.WaitAsync(stoppingToken);
        long? offset = await ResumeOffsetAsync(stoppingToken);
        var introduced = false;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!introduced)
                {
                    // A webhook left behind by an earlier deployment makes getUpdates fail; polling owns the bot now.
                    await api.DeleteWebhookAsync(dropPendingUpdates: false, stoppingToken);
                    await startup.IntroduceAsync(stoppingToken);
                    introduced = true;
                }

                var updates = await api.GetUpdatesAsync(offset, BatchLimit, settings.PollingTimeoutSeconds, stoppingToken);
                status.Connected();
                foreach (var update in updates.OrderBy(u => u.UpdateId))
                {
                    if (stoppingToken.IsCancellationRequested)
                    {
                        break;
                    }

                    await pipeline.HandleAsync(update, replies, CancellationToken.None);
                    offset = Math.Max(offset ?? 0, update.UpdateId + 1);
                }

                if (updates.Count == 0)
                {
                    await Task.Delay(settings.PollingIdleDelay, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                status.Disconnected($"getUpdates failed: {Describe(ex)}");
                logger.LogError("Polling failed: {Reason}", Describe(ex));
                await DelayQuietly(settings.PollingIdleDelay * 4, stoppingToken);
            }
        }

        logger.LogInformation("Polling stopped");
    }

    /// <summary>
    /// Releases the claims the previous run left unfinished and resumes at the first of them, so Telegram delivers
    /// those updates again (it keeps every update above the last confirmed offset) and they are handled; without
    /// any, resumes after the highest update handled. Polling has a single poller (Telegram refuses a second
    /// getUpdates), so at start every open claim is a dead one of ours.
    /// </summary>
    private async Task<long?> ResumeOffsetAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IProcessedUpdateStore>();
        var released = await store.ReleaseUnfinishedAsync(cancellationToken);
        if (released.Count > 0)
        {
            logger.LogWarning("Released {Count} updates the previous run claimed but never completed (first {UpdateId}); they are handled again on re-delivery", released.Count, released[0]);
            return released[0];
        }

        return await store.GetHighestAsync(cancellationToken) + 1;
    }

    private async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private static string Describe(Exception ex) => ex is TelegramApiException api ? $"{api.ErrorCode} {api.Description}" : $"{ex.GetType().Name}: {ex.Message}";
}
