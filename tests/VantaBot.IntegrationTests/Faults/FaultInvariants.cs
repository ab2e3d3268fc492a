using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.Trading.Ledger;

namespace VantaBot.IntegrationTests.Faults;

/// <summary>What the database holds after a fault scenario, and every invariant it breaks (empty: all hold).</summary>
public sealed record FaultReport(
    int Accounts,
    int ProcessedUpdates,
    IReadOnlyDictionary<IntentState, int> IntentsByState,
    int OutboxRows,
    int OutboxDelivered,
    IReadOnlyList<OutboxMessageEntity> Outbox,
    IReadOnlyList<string> Violations)
{
    public override string ToString() =>
        $"{Accounts} accounts, {ProcessedUpdates} processed updates, intents [{string.Join(", ", IntentsByState.Select(p => $"{p.Key}={p.Value}"))}], " +
        $"outbox {OutboxDelivered}/{OutboxRows} delivered" + (Violations.Count == 0 ? "" : "\nviolations:\n" + string.Join('\n', Violations));
}

/// <summary>
/// The invariants every fault scenario ends with, read straight from the database the bot used: no negative
/// available balance; ledger entries sum to balances and holds to unresolved intents (the ledger's own
/// <see cref="IAccountLedger.VerifyAsync"/>); no intent left Pending or Submitted; every trade-outcome
/// notification (outbox row) delivered. "Each update handled once" is the processed_updates primary key; the
/// scenario checks the chat side (one reply per update) with what it sent and received.
/// </summary>
public static partial class FaultInvariants
{
    public static async Task<FaultReport> CheckAsync(DatabaseOptions database, CancellationToken cancellationToken = default)
    {
        var builder = new DbContextOptionsBuilder<VantaBotDbContext>();
        PersistenceRegistration.Configure(builder, database);
        await using var db = new VantaBotDbContext(builder.Options);
        var violations = new List<string>();

        var accounts = await db.Accounts.AsNoTracking().ToListAsync(cancellationToken);
        violations.AddRange(accounts.Where(a => a.BalanceMicros - a.HeldMicros < 0)
            .Select(a => $"user {a.UserId.Value}: available {a.BalanceMicros - a.HeldMicros} micro-USDC is negative"));

        var discrepancies = await new LedgerStore(db, TimeProvider.System).VerifyAsync(cancellationToken);
        violations.AddRange(discrepancies.Select(d => $"ledger does not verify: {d}"));

        var intents = await db.OrderIntents.AsNoTracking().Select(i => new { i.Id, i.State, i.HeldMicros }).ToListAsync(cancellationToken);
        violations.AddRange(intents.Where(i => i.State is IntentState.Pending or IntentState.Submitted)
            .Select(i => $"intent {i.Id} left {i.State} after recovery"));
        violations.AddRange(intents.Where(i => i.State is not (IntentState.Pending or IntentState.Submitted) && i.HeldMicros != 0)
            .Select(i => $"intent {i.Id} is {i.State} but still holds {i.HeldMicros} micro-USDC"));

        var outbox = await db.Set<OutboxMessageEntity>().AsNoTracking().OrderBy(m => m.Id).ToListAsync(cancellationToken);
        violations.AddRange(outbox.Where(m => m.DeliveredAt is null)
            .Select(m => $"trade notification {m.Key} not delivered after {m.Attempts} attempts ({m.LastError})"));

        var processed = await db.ProcessedUpdates.CountAsync(cancellationToken);
        var distinct = await db.ProcessedUpdates.Select(u => u.UpdateId).Distinct().CountAsync(cancellationToken);
        if (processed != distinct)
        {
            violations.Add($"processed_updates holds {processed} rows for {distinct} update ids");
        }

        return new FaultReport(
            accounts.Count,
            processed,
            intents.GroupBy(i => i.State).ToDictionary(g => g.Key, g => g.Count()),
            outbox.Count,
            outbox.Count(m => m.DeliveredAt is not null),
            outbox,
            violations);
    }

    /// <summary>
    /// Each delivered notification reached its chat exactly once: its text is among the chat's messages once
    /// (a relay that missed the handler's acknowledgement, or a retry of a send that had landed, shows as twice).
    /// </summary>
    public static IReadOnlyList<string> NotificationsDeliveredOnce(FaultReport report, IReadOnlyDictionary<long, List<string>> messagesByChat)
    {
        var violations = new List<string>();
        foreach (var row in report.Outbox)
        {
            var count = messagesByChat.TryGetValue(row.ChatId, out var messages) ? CountOf(row, messages) : 0;
            if (count != 1)
            {
                violations.Add($"notification {row.Key} reached chat {row.ChatId} {count} times: {row.Text}" +
                    (count == 0 && messages is { Count: > 0 } ? $" (last message there: {messages[^1]})" : ""));
            }
        }

        return violations;
    }

    /// <summary>
    /// How many of <paramref name="messages"/> carry the outcome of <paramref name="row"/>: the same position id
    /// and the same kind (an open, or a close: its "Position …" line has an exit). The handler's reply is worded
    /// more fully than the outbox copy (entry, fee, liquidation), so whole texts are not compared. The streams
    /// close whole positions only, so (position, kind) names one outcome.
    /// </summary>
    public static int CountOf(OutboxMessageEntity row, IEnumerable<string> messages)
    {
        var identity = Identity(row.Text);
        return messages.Count(m => Identity(m) == identity);
    }

    private static string Identity(string text)
    {
        var position = PositionLine().Match(text);
        return position.Success ? $"{position.Groups["id"].Value}:{(position.Groups["rest"].Value.Contains(" exit ", StringComparison.Ordinal) ? "close" : "open")}" : text;
    }

    [GeneratedRegex(@"^Position (?<id>[0-9a-f]{12})(?<rest>[^\n]*)", RegexOptions.Multiline)]
    private static partial Regex PositionLine();

    /// <summary>Waits until the report has no violations (recovery and the relay run in the background), or returns the last one.</summary>
    public static async Task<FaultReport> SettleAsync(DatabaseOptions database, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var report = await CheckAsync(database, cancellationToken);
            if (report.Violations.Count == 0 || DateTimeOffset.UtcNow >= deadline)
            {
                return report;
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
