namespace VantaBot.Trading.Users;

public interface IUserDirectory
{
    /// <summary>
    /// Returns the user, registering them with <paramref name="initialRole"/> on first contact. Safe under
    /// concurrent first contacts of the same user: exactly one row is created.
    /// </summary>
    Task<BotUser> RegisterOrGetAsync(UserId id, string displayName, Role initialRole, CancellationToken cancellationToken);

    Task<BotUser?> FindAsync(UserId id, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);
}
