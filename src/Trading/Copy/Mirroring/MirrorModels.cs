using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Copy.Mirroring;

/// <summary>Where one follower's mirror of one leader trade stands.</summary>
public enum MirrorState
{
    /// <summary>Queued by the fan-out; a worker claims it with a lease.</summary>
    Pending,

    /// <summary>The follower's order ran (filled, or left to intent recovery with a note).</summary>
    Done,

    /// <summary>Not copied, for a reason the follower was told.</summary>
    Skipped,

    /// <summary>Gave up after repeated faults; the follower was told.</summary>
    Failed,
}

/// <summary>
/// A mirror a worker has claimed, with what it needs to run: the leader trade, the follower's current rules (null
/// when they no longer follow) and, for a close, the follower's position that mirrored the leader's open.
/// </summary>
public sealed record ClaimedMirror(
    long Id,
    long LeaderTradeId,
    UserId Follower,
    LeaderTrade Trade,
    FollowSettings? Settings,
    int Attempts,
    PositionId? MirroredPosition = null,
    long? OpenTradeId = null);

/// <summary>How a mirror ended, as the store records it.</summary>
public abstract record MirrorResolution
{
    /// <summary>
    /// The follower's order ran; <see cref="Position"/> is set for a perps open so a later close finds it.
    /// <see cref="Notice"/> (when set) tells the follower how the copy differs from the leader's trade (a cap, a lower leverage).
    /// </summary>
    public sealed record Done(PositionId? Position, string? Note, string? Notice = null) : MirrorResolution;

    /// <summary>Not copied; <see cref="Notice"/> (when set) goes to the follower through the outbox, committed with the state.</summary>
    public sealed record Skipped(string Reason, string? Notice) : MirrorResolution;

    public sealed record Failed(string Reason, string? Notice) : MirrorResolution;
}

/// <summary>The mirrors table: fan-out, claims with a lease, and the final state with its notice.</summary>
public interface IMirrorStore
{
    /// <summary>
    /// Queues one Pending mirror per follower for up to <paramref name="maxTrades"/> leader trades not yet fanned out,
    /// in trade order; returns how many trades were fanned out. A close waits until the mirrors of its open are resolved.
    /// </summary>
    Task<int> FanOutAsync(int maxTrades, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="max"/> due Pending mirrors (never claimed, or whose lease ran out) for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<ClaimedMirror>> ClaimDueAsync(int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records the outcome once (a mirror still Pending); false when another worker resolved it first.</summary>
    Task<bool> ResolveAsync(ClaimedMirror mirror, MirrorResolution resolution, CancellationToken cancellationToken);

    /// <summary>Gives the mirror back for another try after a fault (the lease is shortened to <paramref name="retryIn"/>).</summary>
    Task ReleaseAsync(long mirrorId, TimeSpan retryIn, CancellationToken cancellationToken);
}

/// <summary>
/// A mirror that met a passing condition (the rate limiter's store unreachable): it is tried again later, not
/// skipped — a copy is not dropped because a dependency blinked. After the configured attempts it is marked Failed.
/// </summary>
public sealed class TransientMirrorException(string reason) : Exception(reason);
