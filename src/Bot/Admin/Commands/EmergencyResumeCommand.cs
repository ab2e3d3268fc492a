using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Control;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

public sealed class EmergencyResumeCommand(IControlStateStore store, SystemControl control, AdminNotifier notifier, IAuditLog audit)
    : AuditedCommand(audit), ICommandMetadata
{
    public static string Command => "emergency_resume";

    public static Role MinimumRole => Role.SuperAdmin;

    public static string Usage => "/emergency_resume";

    public static string Description => "Lift the emergency stop";

    protected override async Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var before = await control.RefreshAsync(cancellationToken);
        if (before.Stop is not { } stop)
        {
            await context.ReplyAsync("No emergency stop is active; nothing changed.", cancellationToken);
            return AdminResult.Ok("no-op: not stopped");
        }

        await store.SetStopAsync(null, cancellationToken);
        await control.ChangedHereAsync(cancellationToken);
        await context.ReplyAsync($"▶️ Emergency stop lifted on every instance (it was set {AdminText.Time(stop.At)} by {AdminText.Who(stop.By)}: {stop.Reason}). New orders are accepted again.", cancellationToken);
        var told = await notifier.NotifyAdminsAsync(context.Replies, $"▶️ Emergency stop lifted by {AdminText.Actor(context.User)}.", context.User.Id, cancellationToken);
        return AdminResult.Ok($"resumed; {told} admins notified");
    }
}
