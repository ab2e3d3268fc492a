using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Transports;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Jobs;

/// <summary>
/// Tells every admin something an operator must know now (a price source went down, a pair went close-only).
/// Admins are the users with Admin or SuperAdmin in the users table plus <c>Access__SuperAdminIds</c>; messages
/// go to their private chats through the transport's reply channel. One recipient failing does not stop the rest.
/// </summary>
public sealed class AdminAlerts(
    IServiceScopeFactory scopes,
    IServiceProvider services,
    TransportStatus transport,
    IOptions<AccessOptions> access,
    IOptions<TelegramOptions> telegram,
    ILogger<AdminAlerts> logger)
{
    public async Task<int> SendAsync(string text, CancellationToken cancellationToken)
    {
        var recipients = new SortedSet<long>(access.Value.ParsedSuperAdminIds);
        await using (var scope = scopes.CreateAsyncScope())
        {
            foreach (var admin in await scope.ServiceProvider.GetRequiredService<AdminRecipients>().ListAsync(cancellationToken))
            {
                recipients.Add(admin.Value);
            }
        }

        IReplyChannel channel;
        if (transport.Kind == TelegramTransportKind.Console)
        {
            // The console is one person's chat: they see the alert when they are an admin, nobody else can.
            channel = services.GetRequiredService<ConsoleReplyChannel>();
            recipients.IntersectWith([telegram.Value.ConsoleUserId]);
        }
        else
        {
            channel = services.GetRequiredService<BotApiReplyChannel>();
        }

        var sent = 0;
        foreach (var chatId in recipients)
        {
            try
            {
                await channel.SendAsync(chatId, text, null, cancellationToken);
                sent++;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Alert to admin {ChatId} not delivered: {Error}", chatId, ex.Message);
            }
        }

        if (recipients.Count == 0)
        {
            logger.LogWarning("No admin to alert (set Access__SuperAdminIds): {Alert}", text);
        }

        return sent;
    }
}
