using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

/// <summary>Takes a role away: the user drops to the role just below it.</summary>
public sealed class RevokeCommand(RoleChanger changer, IAuditLog audit) : AuditedCommand(audit), ICommandMetadata
{
    public static string Command => "revoke";

    public static Role MinimumRole => Role.Admin;

    public static string Usage => "/revoke <telegram_id> <role>";

    public static string Description => "Take a role away (the user drops one role down)";

    protected override Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        changer.ChangeAsync(context, grant: false, Usage, cancellationToken);
}
