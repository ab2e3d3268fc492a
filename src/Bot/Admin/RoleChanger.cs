using System.Globalization;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin;

/// <summary>What /grant and /revoke share: parse, apply <see cref="RolePolicy"/>, change the role atomically, tell the user.</summary>
public sealed class RoleChanger(IUserDirectory users, IUserRoleStore roles, AdminNotifier notifier, IOptions<AccessOptions> access)
{
    public async Task<AdminResult> ChangeAsync(CommandContext context, bool grant, string usage, CancellationToken cancellationToken)
    {
        var args = context.Command.Arguments;
        if (args.Count != 2
            || !long.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0
            || !RolePolicy.TryParseRole(args[1], out var role))
        {
            await context.ReplyAsync($"Usage: {usage}; roles: Viewer, Trader, Operator, Admin. E.g. /{context.Command.Name} 123456789 Operator.", cancellationToken);
            return AdminResult.Invalid(usage);
        }

        var target = new UserId(id);
        var stored = await users.FindAsync(target, cancellationToken);
        var configured = access.Value.ParsedSuperAdminIds.Contains(id);
        var current = stored is null ? (Role?)null : RolePolicy.Effective(stored.Role, configured);
        if (RolePolicy.Check(context.User, target, current, configured, role) is { } refusal)
        {
            await context.ReplyAsync($"⛔ Not changed: {refusal}", cancellationToken);
            return AdminResult.Rejected(refusal);
        }

        Role newRole;
        if (grant)
        {
            if (current == role)
            {
                await context.ReplyAsync($"User {target} is already {role}; nothing changed.", cancellationToken);
                return AdminResult.Ok($"no-op: {target} already {role}");
            }

            newRole = role;
        }
        else
        {
            if (current != role)
            {
                var now = current is { } c ? c.ToString() : "not a user of the bot yet";
                await context.ReplyAsync($"User {target} is {now}, not {role}; nothing changed.", cancellationToken);
                return AdminResult.Rejected($"{target} is not {role}");
            }

            if (role == Role.Viewer)
            {
                await context.ReplyAsync("Viewer is the lowest role and cannot be revoked; keep someone out with Access__AllowList.", cancellationToken);
                return AdminResult.Rejected("Viewer cannot be revoked");
            }

            newRole = role - 1;
        }

        if (!await roles.TryChangeRoleAsync(target, stored?.Role, newRole, target.ToString(), cancellationToken))
        {
            await context.ReplyAsync($"User {target}'s role changed while you were changing it; nothing changed. Check and try again.", cancellationToken);
            return AdminResult.Rejected("concurrent change");
        }

        var was = current is { } before ? before.ToString() : "new";
        await notifier.TrySendAsync(context.Replies, target, $"Your VantaBot role is now {newRole} (changed by an administrator). Send /help to see your commands.", cancellationToken);
        await context.ReplyAsync($"✅ User {target}: {was} → {newRole}.", cancellationToken);
        return AdminResult.Ok($"{target} {was} -> {newRole}");
    }
}
