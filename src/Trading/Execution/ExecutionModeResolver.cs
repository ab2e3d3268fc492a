using VantaBot.Risk;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Execution;

/// <summary>
/// Reads the persisted global mode on every call (not a cache): the mode decides where real money goes, so a
/// switch on another instance counts from the next order on.
/// </summary>
public sealed class ExecutionModeResolver(IExecutionModeStore globalMode, ILiveOptInStore optIns, IUserWallets wallets, LiveConsent consent)
    : IExecutionModeResolver
{
    public async Task<EffectiveExecutionMode> ResolveAsync(UserId user, CancellationToken cancellationToken)
    {
        if (!consent.AllowLive)
        {
            return new(ExecutionMode.Dry, "this deployment does not allow live trading (Trading__AllowLive=false)");
        }

        if (await globalMode.GetAsync(cancellationToken) != ExecutionMode.Live)
        {
            return new(ExecutionMode.Dry, "the global execution mode is DRY");
        }

        if (!await optIns.IsOptedInAsync(user, cancellationToken))
        {
            return new(ExecutionMode.Dry, "you have not opted in to LIVE (/live on)");
        }

        // An opt-in whose wallet went away must not become a live order without a wallet.
        return await wallets.HasWalletAsync(user, cancellationToken)
            ? new(ExecutionMode.Live, "global mode LIVE, live trading allowed, and you opted in with a wallet")
            : new(ExecutionMode.Dry, "you have no configured wallet");
    }
}

/// <summary>The deployment's consent to real money (<c>Trading__AllowLive</c>), as the domain sees it.</summary>
public sealed record LiveConsent(bool AllowLive);
