using System.Collections.Concurrent;
using VantaBot.Trading.DailyLoss;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.DailyLoss;

/// <summary>In-memory <see cref="IDailyEquityStore"/> and <see cref="IJobRunLog"/> with the stores' insert-if-absent contract.</summary>
public sealed class InMemoryDailyStores(Func<IReadOnlyList<UserId>>? accountHolders = null) : IDailyEquityStore, IJobRunLog
{
    private readonly ConcurrentDictionary<(UserId, DateOnly), decimal> _snapshots = new();
    private readonly ConcurrentDictionary<(string, string), string> _runs = new();

    public IReadOnlyDictionary<(UserId User, DateOnly Day), decimal> Snapshots => _snapshots;

    public IReadOnlyDictionary<(string Job, string Period), string> Runs => _runs;

    public Task<decimal?> FindAsync(UserId user, DateOnly day, CancellationToken cancellationToken) =>
        Task.FromResult(_snapshots.TryGetValue((user, day), out var equity) ? equity : (decimal?)null);

    public Task<bool> TryAddAsync(UserId user, DateOnly day, decimal equity, DateTimeOffset takenAt, CancellationToken cancellationToken) =>
        Task.FromResult(_snapshots.TryAdd((user, day), equity));

    public Task<IReadOnlyList<UserId>> AccountHoldersAsync(CancellationToken cancellationToken) =>
        Task.FromResult(accountHolders?.Invoke() ?? []);

    public Task<bool> HasRunAsync(string job, string period, CancellationToken cancellationToken) => Task.FromResult(_runs.ContainsKey((job, period)));

    public Task<bool> TryRecordAsync(string job, string period, string instance, DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult(_runs.TryAdd((job, period), instance));
}
