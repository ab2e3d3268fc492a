using VantaBot.Trading.Users;

namespace VantaBot.Bot.Pipeline;

/// <summary>
/// What commands exist and who may use them, without instantiating handlers (they are scoped). Built once from
/// the registered handler types' metadata.
/// </summary>
public sealed record CommandInfo(
    string Command,
    Role MinimumRole,
    string Usage,
    string Description,
    Type HandlerType,
    bool IsTradingAction = false,
    Func<IReadOnlyList<string>, Role>? RoleForArguments = null)
{
    /// <summary>
    /// The role this invocation needs: <see cref="MinimumRole"/>, or more for arguments that reach further
    /// (e.g. "/execution_mode LIVE" needs a SuperAdmin). Checked by the pipeline before the handler runs.
    /// </summary>
    public Role RequiredRole(IReadOnlyList<string> arguments)
    {
        var byArguments = RoleForArguments?.Invoke(arguments) ?? MinimumRole;
        return byArguments > MinimumRole ? byArguments : MinimumRole;
    }
}

public sealed class CommandCatalog
{
    private readonly Dictionary<string, CommandInfo> _commands;

    public CommandCatalog(IEnumerable<CommandInfo> commands)
    {
        _commands = commands.ToDictionary(c => c.Command, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<CommandInfo> All => _commands.Values;

    public CommandInfo? Find(string command) => _commands.GetValueOrDefault(command);

    public IReadOnlyList<CommandInfo> AvailableTo(Role role) =>
        _commands.Values.Where(c => role >= c.MinimumRole).OrderBy(c => c.MinimumRole).ThenBy(c => c.Command, StringComparer.Ordinal).ToArray();
}
