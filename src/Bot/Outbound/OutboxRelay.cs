using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Outbox;

namespace VantaBot.Bot.Outbound;

/// <summary>
/// Delivers outbox rows nobody else delivered: the handler that placed the trade normally sends the outcome itself
/// and acknowledges the row (see <see cref="OutboxAcknowledger"/>); a row still undelivered after
/// <see cref="OutboundOptions.OutboxGrace"/> means that reply never happened (a crash, a recovery fill at start-up),
/// and the relay sends the row's own text through the priority lane. At least once: a crash between Telegram's
/// answer and the acknowledgement repeats the message.
/// </summary>
public sealed class OutboxRelay(
    IServiceScopeFactory scopes,
    OutboundQueue queue,
    DatabaseReadiness database,
    IOptions<OutboundOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const int BatchSize = 50;

    /// <summary>A claimed row is not picked up again by any relay for this long, while it waits in a queue.</summary>
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RelayOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError("Outbox relay pass failed: {Reason}", ex.Message);
            }

            try
            {
                await Task.Delay(settings.OutboxPollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <returns>How many rows were handed to the queue.</returns>
    public async Task<int> RelayOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ClaimedOutboxMessage> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            claimed = await scope.ServiceProvider.GetRequiredService<OutboxStore>().ClaimDueAsync(options.Value.OutboxGrace, ClaimLease, BatchSize, cancellationToken);
        }

        foreach (var row in claimed)
        {
            logger.LogInformation("Relaying outbox row {Key} (attempt {Attempt})", row.Key, row.Attempts);
            var delivered = queue.Enqueue(new OutboundRequest.SendMessage(row.ChatId, row.Text, null), OutboundPriority.High, row.Key);
            _ = delivered.ContinueWith(t => OnFinishedAsync(row, t.Result), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
        }

        return claimed.Count;
    }

    private async Task OnFinishedAsync(ClaimedOutboxMessage row, bool delivered)
    {
        if (delivered)
        {
            // Usually marked already by the queue; not when the queue skipped the send because this process had
            // delivered the outcome before (a reply whose mark failed, or a row written again by recovery). Found by
            // the fault suite: such a row stayed undelivered for the whole lease. Marking twice is harmless.
            try
            {
                await using var marking = scopes.CreateAsyncScope();
                await marking.ServiceProvider.GetRequiredService<OutboxStore>().MarkDeliveredAsync(row.Key, CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning("Could not mark relayed outbox row {Key} delivered: {Reason}", row.Key, ex.Message);
            }

            return;
        }

        try
        {
            var retryIn = TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Min(row.Attempts, 7))));
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OutboxStore>().RecordFailureAsync(row.Id, "not delivered by the outbound queue", retryIn, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The claim lease runs out on its own; the row is retried then.
            logger.LogWarning("Could not record the failed delivery of outbox row {Key}: {Reason}", row.Key, ex.Message);
        }
    }
}

/// <summary>Marks an outbox row delivered in a scope of its own (the queue is a singleton, the DbContext is not).</summary>
public sealed class OutboxAcknowledger(IServiceScopeFactory scopes) : IOutboxAcknowledger
{
    public async Task AcknowledgeAsync(string outboxKey, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OutboxStore>().MarkDeliveredAsync(outboxKey, cancellationToken);
    }
}
