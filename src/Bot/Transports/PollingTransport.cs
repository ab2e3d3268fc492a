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
/// Long polling. Each batch is claimed in update_id order, then handled with up to
/// <see cref="TelegramOptions.PollingConcurrency"/> senders at once, each sender's updates one after another in
/// update_id order (a trader's /long then /close never swap). The next batch is fetched (confirming this one to
/// Telegram) only when every update of this one is done. On shutdown the batch in hand is finished (its updates are
/// not given the stopping token); a process that dies mid-batch left the unfinished ones claimed but not completed,
/// and the next start resumes at the first of them.
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
                if (updates.Count > 0)
                {
                    await HandleBatchAsync(updates, settings.PollingConcurrency);
                    offset = Math.Max(offset ?? 0, updates.Max(u => u.UpdateId) + 1);
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

    private async Task HandleBatchAsync(IReadOnlyList<TelegramUpdate> updates, int concurrency)
    {
        var ordered = updates.OrderBy(u => u.UpdateId).ToList();

        // Claimed first, all at once: whatever happens next, no update of the batch is left unclaimed below one that
        // was completed, so resuming at the first unfinished claim skips nothing.
        if (await pipeline.ClaimBatchAsync(ordered, CancellationToken.None) is { } claimed)
        {
            await HandleConcurrentlyAsync(claimed, concurrency);
            return;
        }

        // The claim failed (the database is failing): one at a time the old way, each claiming again or apologising,
        // so nothing is skipped.
        foreach (var update in ordered)
        {
            await pipeline.HandleAsync(update, replies, CancellationToken.None);
        }
    }

    private async Task HandleConcurrentlyAsync(IReadOnlyList<TelegramUpdate> claimed, int concurrency)
    {
        if (concurrency == 1 || claimed.Count <= 1)
        {
            foreach (var update in claimed)
            {
                await pipeline.HandleClaimedAsync(update, replies, CancellationToken.None);
            }

            return;
        }

        using var slots = new SemaphoreSlim(concurrency);
        var lanes = claimed.GroupBy(SenderOf).Select(async lane =>
        {
            await slots.WaitAsync(CancellationToken.None);
            try
            {
                foreach (var update in lane)
                {
                    await pipeline.HandleClaimedAsync(update, replies, CancellationToken.None);
                }
            }
            finally
            {
                slots.Release();
            }
        });
        await Task.WhenAll(lanes);
    }

    /// <summary>One lane per sender: their balance, positions and limits are theirs, so only their own updates must not overlap.</summary>
    private static long SenderOf(TelegramUpdate update) => update switch
    {
        { Message.From: { } from } => from.Id,
        { CallbackQuery.From: { } from } => from.Id,
        { EditedMessage.From: { } from } => from.Id,

        // No sender (channel posts and the like): a lane of its own, kept apart from every user id (those are positive).
        _ => -update.UpdateId,
    };

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
