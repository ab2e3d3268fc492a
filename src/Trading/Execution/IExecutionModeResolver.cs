using VantaBot.Risk;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Execution;

/// <summary>The mode one user's next order runs in, and why (shown to the user and in /system_status).</summary>
public sealed record EffectiveExecutionMode(ExecutionMode Mode, string Reason)
{
    public bool IsLive => Mode == ExecutionMode.Live;
}

/// <summary>
/// Global mode × deployment consent × the user's opt-in with a wallet: an order is LIVE only when all say so.
/// </summary>
public interface IExecutionModeResolver
{
    Task<EffectiveExecutionMode> ResolveAsync(UserId user, CancellationToken cancellationToken);
}
