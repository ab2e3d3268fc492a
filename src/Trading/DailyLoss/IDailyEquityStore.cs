using VantaBot.Trading.Users;

namespace VantaBot.Trading.DailyLoss;

/// <summary>Each user's equity at the start of each UTC day, written once per (user, day) and never changed.</summary>
public interface IDailyEquityStore
{
    Task<decimal?> FindAsync(UserId user, DateOnly day, CancellationToken cancellationToken);

    /// <summary>Stores the day's starting equity unless one is stored already; true when this call stored it.</summary>
    Task<bool> TryAddAsync(UserId user, DateOnly day, decimal equity, DateTimeOffset takenAt, CancellationToken cancellationToken);

    /// <summary>Every user who has an account (the only users a daily loss can apply to).</summary>
    Task<IReadOnlyList<UserId>> AccountHoldersAsync(CancellationToken cancellationToken);
}

/// <summary>Marks that a once-per-period job finished for a period, so restarts and other instances skip it.</summary>
public interface IJobRunLog
{
    Task<bool> HasRunAsync(string job, string period, CancellationToken cancellationToken);

    /// <summary>True when this call recorded the run; false when it was recorded already.</summary>
    Task<bool> TryRecordAsync(string job, string period, string instance, DateTimeOffset at, CancellationToken cancellationToken);
}
