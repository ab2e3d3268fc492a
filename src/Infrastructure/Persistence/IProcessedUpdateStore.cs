namespace VantaBot.Infrastructure.Persistence;

/// <summary>Persisted dedupe of Telegram update ids, shared by every transport and every instance.</summary>
public interface IProcessedUpdateStore
{
    /// <summary>True the first time an update id is claimed, false for every re-delivery, on any instance.</summary>
    Task<bool> TryClaimAsync(long updateId, string kind, CancellationToken cancellationToken);

    /// <summary>The highest update id ever claimed, or null; pollers resume after it.</summary>
    Task<long?> GetHighestAsync(CancellationToken cancellationToken);
}
