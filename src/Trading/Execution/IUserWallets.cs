using VantaBot.Trading.Users;

namespace VantaBot.Trading.Execution;

/// <summary>Whether a user has a wallet a live venue could trade from. Implemented over the wallet store by <see cref="Wallets.StoredUserWallets"/>.</summary>
public interface IUserWallets
{
    Task<bool> HasWalletAsync(UserId user, CancellationToken cancellationToken);

    /// <summary>What is missing for LIVE, in words the user can act on; null when a wallet is configured.</summary>
    Task<string?> MissingForLiveAsync(UserId user, CancellationToken cancellationToken);
}
