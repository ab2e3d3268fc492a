using VantaBot.Trading.Users;

namespace VantaBot.Trading.Limits;

/// <summary>An admin's per-user replacement of a default limit (0 blocks the action entirely).</summary>
public sealed record RateLimitOverride(UserId User, RateLimitName Limit, long Value, UserId SetBy, DateTimeOffset SetAt);

/// <summary>Durable per-user limit overrides; the port the database implements.</summary>
public interface IRateLimitOverrides
{
    Task<IReadOnlyList<RateLimitOverride>> GetAsync(UserId user, CancellationToken cancellationToken);

    /// <summary>Sets the override, or removes it when <paramref name="value"/> is null (back to the default).</summary>
    Task SetAsync(UserId user, RateLimitName limit, long? value, UserId setBy, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);
}
