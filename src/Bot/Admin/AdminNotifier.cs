using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin;

/// <summary>Tells every admin (stored Admin rows and configured super-admins) in their private chat.</summary>
public sealed class AdminNotifier(IUserRoleStore roles, IOptions<AccessOptions> access, ILogger<AdminNotifier> logger)
{
    /// <returns>How many admins were told.</returns>
    public async Task<int> NotifyAdminsAsync(IReplyChannel replies, string text, UserId except, CancellationToken cancellationToken)
    {
        var stored = await roles.ListAtLeastAsync(Role.Admin, cancellationToken);
        var recipients = stored.Select(u => u.Id.Value).Concat(access.Value.ParsedSuperAdminIds).Where(id => id != except.Value).Distinct();
        var told = 0;
        foreach (var id in recipients)
        {
            told += await TrySendAsync(replies, new UserId(id), text, cancellationToken) ? 1 : 0;
        }

        return told;
    }

    /// <summary>A private message that may fail (the user never opened a chat with the bot): logged, not thrown.</summary>
    public async Task<bool> TrySendAsync(IReplyChannel replies, UserId user, string text, CancellationToken cancellationToken)
    {
        try
        {
            await replies.SendAsync(user.Value, text, null, cancellationToken);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not notify user {UserId}", user);
            return false;
        }
    }
}
