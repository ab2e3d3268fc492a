using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin;

/// <summary>
/// Who may grant or revoke what. The rule: an actor may change another user only between roles strictly below
/// their own, and only while that user's current role is also below their own. So an Admin manages Viewer,
/// Trader and Operator; a SuperAdmin also manages Admin; nobody grants or revokes SuperAdmin (configuration
/// only, <c>Access__SuperAdminIds</c>), and nobody changes their own role.
/// </summary>
public static class RolePolicy
{
    /// <summary>The role /grant or /revoke needs for these arguments; checked by the pipeline before the handler.</summary>
    public static Role RequiredToManage(IReadOnlyList<string> arguments) =>
        arguments.Count >= 2 && TryParseRole(arguments[1], out var role) && role >= Role.Admin ? Role.SuperAdmin : Role.Admin;

    /// <summary>Role names only (any case); numbers are refused so "/grant 5 3" cannot mean Admin.</summary>
    public static bool TryParseRole(string text, out Role role)
    {
        role = default;
        return text.Length > 0 && text.All(char.IsAsciiLetter) && Enum.TryParse(text, ignoreCase: true, out role) && Enum.IsDefined(role);
    }

    /// <summary>Null when <paramref name="actor"/> may move <paramref name="target"/> to or from <paramref name="role"/>; else why not.</summary>
    public static string? Check(BotUser actor, UserId target, Role? targetCurrent, bool targetIsConfiguredSuperAdmin, Role role)
    {
        if (role == Role.SuperAdmin)
        {
            return "SuperAdmin comes from Access__SuperAdminIds only; nobody grants or revokes it in chat.";
        }

        if (target == actor.Id)
        {
            return "you cannot change your own role.";
        }

        if (targetIsConfiguredSuperAdmin)
        {
            return $"user {target} is a configured super-admin (Access__SuperAdminIds); chat cannot change that.";
        }

        if (role >= actor.Role)
        {
            return $"you may grant or revoke only roles below your own ({actor.Role}).";
        }

        if (targetCurrent is { } current && current >= actor.Role)
        {
            return $"user {target} is {current}, not below you; only a higher role can change them.";
        }

        return null;
    }

    /// <summary>The role the pipeline would give a stored role: a stored SuperAdmin not in configuration acts as Admin.</summary>
    public static Role Effective(Role stored, bool isConfiguredSuperAdmin) =>
        isConfiguredSuperAdmin ? Role.SuperAdmin : stored == Role.SuperAdmin ? Role.Admin : stored;
}
