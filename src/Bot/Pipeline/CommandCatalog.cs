using VantaBot.Trading.Users;

namespace VantaBot.Bot.Pipeline;

/// <summary>
/// What commands exist and who may use them, without instantiating handlers (they are scoped). Built once from
/// the registered handler types' metadata.
/// </summary>
public sealed record CommandInfo(string Command, Role MinimumRole, string Usage, string Description, Type HandlerType, bool IsTradingAction = false);

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
