using Microsoft.EntityFrameworkCore;

namespace VantaBot.Infrastructure.Persistence;

public sealed class ProcessedUpdateStore(VantaBotDbContext db, TimeProvider time) : IProcessedUpdateStore
{
    public async Task<bool> TryClaimAsync(long updateId, string kind, DateTimeOffset abandonedBefore, CancellationToken cancellationToken)
    {
        // The batch's upsert for one row, as a command rather than a query: the row count says whether this caller
        // claimed it. Every update runs this first, and a command skips EF's LINQ pipeline (expression tree, cache
        // key, an executor that binds its delegates anew on each run) while still passing EF's interceptors, the
        // SQLite writer queue among them. On both databases an upsert whose WHERE fails changes, and counts, no row.
        var affected = await db.Database.ExecuteSqlRawAsync(
            ClaimSql(["({2}, {3}, {0}, NULL)"], returning: null),
            [time.GetUtcNow().UtcDateTime, abandonedBefore.UtcDateTime, updateId, kind],
            cancellationToken);
        return affected == 1;
    }

    public async Task<IReadOnlySet<long>> TryClaimManyAsync(
        IReadOnlyList<(long UpdateId, string Kind)> updates, DateTimeOffset abandonedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0)
        {
            return new HashSet<long>();
        }

        // One upsert, so the dedupe stays one round trip however many updates. It returns the ids it inserted or took
        // over (PostgreSQL refuses a statement touching one row twice, so a repeated id in the batch is claimed once).
        // Rows go in ascending id order, so two claimants of overlapping batches lock the keys in the same order and
        // cannot deadlock on PostgreSQL.
        var distinct = updates.DistinctBy(u => u.UpdateId).OrderBy(u => u.UpdateId).ToList();
        var parameters = new List<object> { time.GetUtcNow().UtcDateTime, abandonedBefore.UtcDateTime };
        var rows = new List<string>(distinct.Count);
        foreach (var (updateId, kind) in distinct)
        {
            rows.Add($"({{{parameters.Count}}}, {{{parameters.Count + 1}}}, {{0}}, NULL)");
            parameters.Add(updateId);
            parameters.Add(kind);
        }

        var claimed = await db.Database.SqlQueryRaw<long>(ClaimSql(rows, returning: "RETURNING update_id AS \"Value\""), [.. parameters])
            .ToListAsync(cancellationToken);
        return claimed.ToHashSet();
    }

    /// <summary>
    /// The claim, for one row or a batch: the primary key decides races between instances, and the conditional
    /// update takes over only an abandoned claim (never a completed one, nor a live one); an upsert whose WHERE fails
    /// changes and returns no row on PostgreSQL and SQLite alike. Parameter {0} is the claim time, {1} the abandon
    /// cut-off; only placeholders are spliced in (one "({n}, {n+1}, {0}, NULL)" per row), every value is a parameter.
    /// </summary>
    private static string ClaimSql(IEnumerable<string> rows, string? returning) => $$"""
        INSERT INTO processed_updates (update_id, kind, received_at, completed_at) VALUES {{string.Join(", ", rows)}}
        ON CONFLICT (update_id) DO UPDATE SET received_at = excluded.received_at
        WHERE processed_updates.completed_at IS NULL AND processed_updates.received_at < {1}
        {{returning}}
        """;

    // A command, not ExecuteUpdate's LINQ, for the same reason as the claim: every update ends with it.
    public async Task CompleteAsync(long updateId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE processed_updates SET completed_at = {time.GetUtcNow().UtcDateTime} WHERE update_id = {updateId} AND completed_at IS NULL",
            cancellationToken);

    public async Task<IReadOnlyList<long>> ReleaseUnfinishedAsync(CancellationToken cancellationToken)
    {
        var unfinished = await db.ProcessedUpdates
            .Where(u => u.CompletedAt == null)
            .OrderBy(u => u.UpdateId)
            .Select(u => u.UpdateId)
            .ToListAsync(cancellationToken);
        if (unfinished.Count > 0)
        {
            // Deleted rather than marked: the next delivery then claims them with the ordinary insert.
            await db.ProcessedUpdates.Where(u => u.CompletedAt == null).ExecuteDeleteAsync(cancellationToken);
        }

        return unfinished;
    }

    public async Task<long?> GetHighestAsync(CancellationToken cancellationToken) =>
        await db.ProcessedUpdates.MaxAsync(u => (long?)u.UpdateId, cancellationToken);
}
