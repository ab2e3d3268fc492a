namespace VantaBot.Trading.Users;

/// <summary>Role changes made by /grant and /revoke.</summary>
public interface IUserRoleStore
{
    /// <summary>
    /// Sets the user's role when it is still <paramref name="expected"/> (null: the user has no row yet, which
    /// is then created with <paramref name="displayName"/>). False when someone changed it first: nothing changed.
    /// </summary>
    Task<bool> TryChangeRoleAsync(UserId user, Role? expected, Role newRole, string displayName, CancellationToken cancellationToken);

    /// <summary>Users whose stored role is at least <paramref name="role"/>.</summary>
    Task<IReadOnlyList<BotUser>> ListAtLeastAsync(Role role, CancellationToken cancellationToken);
}
