using System.Text;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

/// <summary>Lists exactly the commands the asking user's role may run.</summary>
public sealed class HelpCommand(CommandCatalog catalog) : ICommandHandler, ICommandMetadata
{
    public static string Command => "help";

    public static Role MinimumRole => Role.Viewer;

    public static string Usage => "/help";

    public static string Description => "The commands you can use";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("Commands for your role (").Append(context.User.Role).AppendLine("):");
        foreach (var command in catalog.AvailableTo(context.User.Role))
        {
            text.Append(command.Usage).Append(" — ").AppendLine(command.Description);
        }

        await context.ReplyAsync(text.ToString().TrimEnd(), cancellationToken);
        return UpdateOutcome.Ok;
    }
}
