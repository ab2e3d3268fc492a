using VantaBot.Bot.Commands;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Perps;

/// <summary>Sends a close the trader did not ask for to their private chat (chat id = user id in Telegram).</summary>
public sealed class ChatTradeNotifier(IReplyChannel replies) : ITradeNotifier
{
    public Task NotifyAsync(UserId user, PositionClose close, CancellationToken cancellationToken) =>
        replies.SendOutcomeAsync(user.Value, CloseFormatter.Describe(close, remaining: null), TradeOutcomeNotices.KeyForClose(user, close.Intent), cancellationToken);
}
