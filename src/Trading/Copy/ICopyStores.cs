using VantaBot.Trading.Users;

namespace VantaBot.Trading.Copy;

public enum FollowChange
{
    Created,
    Updated,
}

/// <summary>Who follows whom, with each follower's rules.</summary>
public interface IFollowStore
{
    /// <summary>Starts following, or replaces the rules of an existing follow.</summary>
    Task<FollowChange> UpsertAsync(Follow follow, CancellationToken cancellationToken);

    /// <summary>False when the follower did not follow the leader.</summary>
    Task<bool> RemoveAsync(UserId follower, LeaderRef leader, CancellationToken cancellationToken);

    Task<IReadOnlyList<Follow>> ListByFollowerAsync(UserId follower, CancellationToken cancellationToken);

    Task<Follow?> FindAsync(UserId follower, LeaderRef leader, CancellationToken cancellationToken);

    /// <summary>The EVM addresses with at least one follower: what the chain watcher watches.</summary>
    Task<IReadOnlyList<string>> ListFollowedEvmAddressesAsync(CancellationToken cancellationToken);
}

/// <summary>Bot traders who offer to be followed (<c>/leader on|off</c>).</summary>
public interface ICopyLeaderStore
{
    /// <summary>Opts in or out; returns the previous setting.</summary>
    Task<bool> SetAsync(UserId user, bool enabled, CancellationToken cancellationToken);

    Task<bool> IsLeaderAsync(UserId user, CancellationToken cancellationToken);

    Task<IReadOnlyList<UserId>> ListAsync(CancellationToken cancellationToken);
}
