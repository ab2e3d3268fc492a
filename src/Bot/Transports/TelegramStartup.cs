using Microsoft.Extensions.Logging;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;

namespace VantaBot.Bot.Transports;

/// <summary>What both Bot API transports do once connected: learn our username and publish the command menu.</summary>
public sealed class TelegramStartup(ITelegramBotApi api, BotIdentity identity, CommandCatalog catalog, ILogger<TelegramStartup> logger)
{
    public async Task IntroduceAsync(CancellationToken cancellationToken)
    {
        var me = await api.GetMeAsync(cancellationToken);
        identity.Username = me.Username;
        logger.LogInformation("Connected to the Bot API as @{Username}", me.Username);

        // The menu lists what everyone may run; per-role lists come from /help.
        var commands = catalog.AvailableTo(Trading.Users.Role.Viewer)
            .Select(c => new TelegramBotCommand(c.Command, c.Description))
            .ToArray();
        try
        {
            await api.SetMyCommandsAsync(commands, cancellationToken);
        }
        catch (TelegramApiException ex)
        {
            // Some Bot API servers (the test emulator among them) lack setMyCommands; the bot works without a menu.
            logger.LogWarning("setMyCommands failed ({Code} {Description}); continuing without a command menu", ex.ErrorCode, ex.Description);
        }
    }
}
