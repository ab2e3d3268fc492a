using System.Text;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Control;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

/// <summary>Halts every new order and swap on every instance: persisted switch, local cache at once, signal to the others.</summary>
public sealed class EmergencyStopCommand(
    IControlStateStore store,
    SystemControl control,
    AdminNotifier notifier,
    EmergencyFlattener flattener,
    TimeProvider time,
    IAuditLog audit) : AuditedCommand(audit), ICommandMetadata
{
    public const string CloseAllFlag = "close_all";
    private const int MaxReasonLength = 200;

    public static string Command => "emergency_stop";

    public static Role MinimumRole => Role.Admin;

    public static string Usage => "/emergency_stop [reason] [close_all]";

    public static string Description => "Halt all new orders and swaps on every instance";

    protected override async Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Command.Arguments;
        var closeAll = args.Any(a => a.Equals(CloseAllFlag, StringComparison.OrdinalIgnoreCase));
        var reason = AdminText.Clip(string.Join(' ', args.Where(a => !a.Equals(CloseAllFlag, StringComparison.OrdinalIgnoreCase))), MaxReasonLength);
        if (reason.Length == 0)
        {
            reason = "no reason given";
        }

        var before = await control.RefreshAsync(cancellationToken);
        if (before.Stop is { } inForce && closeAll)
        {
            // Already halted: flatten under the stop in force (same keys, so a repeat closes nothing twice).
            var again = await flattener.FlattenAsync(inForce, context.Replies, cancellationToken);
            await context.ReplyAsync($"🛑 Already stopped since {AdminText.Time(inForce.At)} ({inForce.Reason}). {Describe(again)}", cancellationToken);
            return AdminResult.Ok($"already stopped; close_all: {again.Closed}/{again.Open} closed, {again.Failed} failed");
        }

        if (before.Stop is { } existing)
        {
            await context.ReplyAsync(
                $"🛑 Already stopped since {AdminText.Time(existing.At)} by {AdminText.Who(existing.By)}: {existing.Reason}. Resume with /emergency_resume (SuperAdmin).",
                cancellationToken);
            return AdminResult.Ok("no-op: already stopped");
        }

        var stop = new EmergencyStop(reason, context.User.Id, time.GetUtcNow(), closeAll);
        await store.SetStopAsync(stop, cancellationToken);
        await control.ChangedHereAsync(cancellationToken);

        var flattened = closeAll ? await flattener.FlattenAsync(stop, context.Replies, cancellationToken) : null;
        var reply = new StringBuilder();
        reply.AppendLine("🛑 EMERGENCY STOP active on every instance.");
        reply.AppendLine("Halted: new perp positions (/long, /short and pending confirmation cards) and swaps.");
        reply.AppendLine("Still allowed: closing positions, balances, prices and every read.");
        reply.Append("Reason: ").AppendLine(reason);
        if (flattened is not null)
        {
            reply.AppendLine(Describe(flattened));
        }

        reply.Append("Resume with /emergency_resume (SuperAdmin only).");
        await context.ReplyAsync(reply.ToString(), cancellationToken);
        var told = await notifier.NotifyAdminsAsync(
            context.Replies, $"🛑 Emergency stop by {AdminText.Actor(context.User)}: {reason}. New orders and swaps are halted on every instance.", context.User.Id, cancellationToken);
        var closeNote = flattened is null ? "" : $"; close_all: {flattened.Closed}/{flattened.Open} closed, {flattened.Failed} failed";
        return AdminResult.Ok($"stopped ({reason}){closeNote}; {told} admins notified");
    }

    private static string Describe(FlattenReport report)
    {
        var text = new StringBuilder($"close_all: {report.Closed} of {report.Open} open positions closed");
        if (report.Failed > 0)
        {
            text.Append("; NOT closed (").Append(report.Failed).Append("): ").Append(string.Join("; ", report.Failures.Take(5)));
        }

        return text.Append('.').ToString();
    }
}
