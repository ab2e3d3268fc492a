using VantaBot.Trading.Users;

namespace VantaBot.Trading.Execution;

/// <summary>Whether a user has a wallet a live venue could trade from. Wallets arrive with the key vault (a later issue).</summary>
public interface IUserWallets
{
    Task<bool> HasWalletAsync(UserId user, CancellationToken cancellationToken);

    /// <summary>What is missing for LIVE, in words the user can act on; null when a wallet is configured.</summary>
    Task<string?> MissingForLiveAsync(UserId user, CancellationToken cancellationToken);
}

/// <summary>Until the key vault exists nobody has a wallet, so nobody can opt in to LIVE.</summary>
public sealed class NoWalletsYet : IUserWallets
{
    public Task<bool> HasWalletAsync(UserId user, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<string?> MissingForLiveAsync(UserId user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>("a configured wallet: this deployment has no wallet support yet (it arrives with the key vault), so no account can trade LIVE");
}
