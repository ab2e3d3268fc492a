using VantaBot.Trading.Execution;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Wallets;

/// <summary>LIVE needs the user's custodial EVM wallet: a user has one once /wallet created it.</summary>
public sealed class StoredUserWallets(IWalletDirectory directory) : IUserWallets
{
    public const string CreateFirst = "a wallet: create your wallet with /wallet first";

    public async Task<bool> HasWalletAsync(UserId user, CancellationToken cancellationToken) =>
        await directory.FindAsync(user, ChainFamily.Evm, cancellationToken) is not null;

    public async Task<string?> MissingForLiveAsync(UserId user, CancellationToken cancellationToken) =>
        await HasWalletAsync(user, cancellationToken) ? null : CreateFirst;
}
