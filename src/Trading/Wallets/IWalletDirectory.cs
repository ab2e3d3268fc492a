using VantaBot.Trading.Users;

namespace VantaBot.Trading.Wallets;

/// <summary>Users' custodial wallets: at most one per user and chain family.</summary>
public interface IWalletDirectory
{
    Task<Wallet?> FindAsync(UserId user, string chainFamily, CancellationToken cancellationToken);

    /// <summary>
    /// The user's wallet of that family, created (with a fresh key sealed in the key vault) on first use. Idempotent
    /// under concurrency: two simultaneous calls for one user return the same wallet (a unique constraint decides).
    /// </summary>
    Task<Wallet> GetOrCreateAsync(UserId user, string chainFamily, CancellationToken cancellationToken);
}
