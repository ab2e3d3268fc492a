using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Control;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

public sealed class MaintenanceModeCommand(IControlStateStore store, SystemControl control, AdminNotifier notifier, TimeProvider time, IAuditLog audit)
    : AuditedCommand(audit), ICommandMetadata
{
    public const string DefaultMessage = "VantaBot is under maintenance; please try again later.";
    private const int MaxMessageLength = 500;

    public static string Command => "maintenance_mode";

    public static Role MinimumRole => Role.Admin;

    public static string Usage => "/maintenance_mode on|off [message]";

    public static string Description => "Answer non-admins with a maintenance message";

    protected override async Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Command.Arguments;
        var switchTo = args.Count > 0 ? args[0].ToLowerInvariant() : "";
        if (switchTo == "off" && args.Count == 1)
        {
            await store.SetMaintenanceAsync(null, cancellationToken);
            await control.ChangedHereAsync(cancellationToken);
            await context.ReplyAsync("✅ Maintenance mode off: every user is answered again.", cancellationToken);
            await notifier.NotifyAdminsAsync(context.Replies, $"Maintenance mode turned off by {AdminText.Actor(context.User)}.", context.User.Id, cancellationToken);
            return AdminResult.Ok("maintenance off");
        }

        if (switchTo == "on")
        {
            var text = context.Command.ArgumentText[args[0].Length..].Trim();
            var message = text.Length == 0 ? DefaultMessage : AdminText.Clip(text, MaxMessageLength);
            await store.SetMaintenanceAsync(new MaintenanceMode(message, context.User.Id, time.GetUtcNow()), cancellationToken);
            await control.ChangedHereAsync(cancellationToken);
            await context.ReplyAsync($"🛠 Maintenance mode on. Users below Admin now get: \"{message}\". Admins keep full access. Turn off with /maintenance_mode off.", cancellationToken);
            await notifier.NotifyAdminsAsync(context.Replies, $"🛠 Maintenance mode turned on by {AdminText.Actor(context.User)}: {message}", context.User.Id, cancellationToken);
            return AdminResult.Ok("maintenance on");
        }

        await context.ReplyAsync($"Usage: {Usage}, e.g. /maintenance_mode on Upgrading the database, back in 10 minutes.", cancellationToken);
        return AdminResult.Invalid(Usage);
    }
}
