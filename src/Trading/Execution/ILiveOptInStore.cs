using VantaBot.Trading.Users;

namespace VantaBot.Trading.Execution;

/// <summary>Per-user opt-in to LIVE, so live trading can be rolled out to a few users first.</summary>
public interface ILiveOptInStore
{
    Task<bool> IsOptedInAsync(UserId user, CancellationToken cancellationToken);

    Task SetAsync(UserId user, bool optedIn, CancellationToken cancellationToken);
}
