using VantaBot.Trading.Users;

namespace VantaBot.Trading.Perps;

/// <summary>Tells a trader about something that happened to their account without them asking (a TP, SL or liquidation).</summary>
public interface ITradeNotifier
{
    Task NotifyAsync(UserId user, PositionClose close, CancellationToken cancellationToken);
}
