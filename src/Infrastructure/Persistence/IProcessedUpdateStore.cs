namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// Persisted dedupe of Telegram update ids, shared by every transport and every instance. An update is claimed
/// before it is handled and completed after its work and reply are handed on; a claim that never completes (the
/// process died in between) is not a permanent "seen": it is released at the next start or, once abandoned, taken
/// over by the next delivery, so the update is handled again (handlers are idempotent on the update id).
/// </summary>
public interface IProcessedUpdateStore
{
    /// <summary>
    /// True when this caller may handle the update: the first delivery, or a re-delivery of one whose claim was never
    /// completed and was taken before <paramref name="abandonedBefore"/>. False for a completed update and for one
    /// another handler claimed more recently (a concurrent duplicate).
    /// </summary>
    Task<bool> TryClaimAsync(long updateId, string kind, DateTimeOffset abandonedBefore, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="TryClaimAsync"/> for a whole batch in one statement (all or nothing): returns the ids this caller
    /// may handle; the others are duplicates. For a poller that claims a getUpdates batch before handling it.
    /// </summary>
    Task<IReadOnlySet<long>> TryClaimManyAsync(IReadOnlyList<(long UpdateId, string Kind)> updates, DateTimeOffset abandonedBefore, CancellationToken cancellationToken);

    /// <summary>Marks a claimed update as handled: no delivery of it is handled again. Idempotent.</summary>
    Task CompleteAsync(long updateId, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets every claim that was never completed and returns their update ids, ascending. For a single poller at
    /// start: it owns every claim, so the unfinished ones died with its previous run and must be handled again.
    /// </summary>
    Task<IReadOnlyList<long>> ReleaseUnfinishedAsync(CancellationToken cancellationToken);

    /// <summary>The highest update id ever claimed, or null; pollers resume after it.</summary>
    Task<long?> GetHighestAsync(CancellationToken cancellationToken);
}
