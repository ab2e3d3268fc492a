using System.Globalization;
using System.Text;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

public sealed class AuditCommand(AuditReader reader, IAuditLog audit) : AuditedCommand(audit), ICommandMetadata
{
    public const int DefaultCount = 10;
    public const int MaxCount = 50;

    // Telegram caps a message at 4096 characters; the newest rows matter most, so older ones are cut.
    private const int MaxReplyLength = 3900;

    public static string Command => "audit";

    public static Role MinimumRole => Role.Admin;

    public static string Usage => "/audit [n]";

    public static string Description => $"The newest audit rows (default {DefaultCount}, at most {MaxCount})";

    protected override async Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Command.Arguments;
        var count = DefaultCount;
        if (args.Count > 1 || (args.Count == 1 && (!int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxCount)))
        {
            await context.ReplyAsync($"Usage: {Usage}; n from 1 to {MaxCount}.", cancellationToken);
            return AdminResult.Invalid(Usage);
        }

        var rows = await reader.LatestAsync(count, cancellationToken);
        var text = new StringBuilder($"Audit log, newest first ({rows.Count}):");
        foreach (var row in rows)
        {
            var line = new StringBuilder().AppendLine().Append('#').Append(row.Id).Append(' ').Append(AdminText.Time(row.At)).Append(' ')
                .Append(row.ActorId is { } actor ? $"user {actor.ToString(CultureInfo.InvariantCulture)} ({row.ActorRole})" : "system")
                .Append(" /").Append(row.Command)
                .Append(row.Arguments.Length > 0 ? $" \"{AdminText.Clip(row.Arguments, 80)}\"" : "")
                .Append(" → ").Append(AdminText.Clip(row.Outcome, 120))
                .Append(" · trace ").Append(row.TraceId.Length > 8 ? row.TraceId[..8] : row.TraceId);
            if (text.Length + line.Length > MaxReplyLength)
            {
                text.AppendLine().Append("… older rows cut to fit one message.");
                break;
            }

            text.Append(line);
        }

        await context.ReplyAsync(text.ToString(), cancellationToken);
        return AdminResult.Ok($"shown {rows.Count}");
    }
}
