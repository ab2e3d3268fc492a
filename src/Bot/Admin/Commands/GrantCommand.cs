using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

public sealed class GrantCommand(RoleChanger changer, IAuditLog audit) : AuditedCommand(audit), ICommandMetadata
{
    public static string Command => "grant";

    public static Role MinimumRole => Role.Admin;

    public static string Usage => "/grant <telegram_id> <role>";

    public static string Description => "Give a user a role below your own (Admin needs a SuperAdmin)";

    protected override Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        changer.ChangeAsync(context, grant: true, Usage, cancellationToken);
}
