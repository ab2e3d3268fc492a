using System.Globalization;
using System.Text;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Copy.Commands;

/// <summary>/following: the leaders the trader follows, each with its rules.</summary>
public sealed class FollowingCommand(IFollowStore follows, IUserDirectory users) : ICommandHandler, ICommandMetadata
{
    public static string Command => "following";

    public static Role MinimumRole => Role.Viewer;

    public static string Usage => "/following";

    public static string Description => "The leaders you copy, with your rules for each";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Command.Arguments.Count > 0)
        {
            await context.ReplyAsync($"Usage: {Usage} (it takes no arguments).", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var list = await follows.ListByFollowerAsync(context.User.Id, cancellationToken);
        if (list.Count == 0)
        {
            await context.ReplyAsync("You follow no one. /leaders lists leaders; follow one with /follow <leader>, e.g. /follow 0x… size=50.", cancellationToken);
            return UpdateOutcome.Ok;
        }

        var text = new StringBuilder();
        text.Append("You follow ").Append(list.Count).Append(list.Count == 1 ? " leader:" : " leaders:");
        foreach (var follow in list)
        {
            var name = follow.Leader.BotUser is { } user ? (await users.FindAsync(user, cancellationToken))?.DisplayName : null;
            text.AppendLine().AppendLine();
            text.Append("• ").Append(FollowFormatter.Leader(follow.Leader, name))
                .Append(" — since ").AppendLine(follow.Since.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            text.Append("  ").Append(FollowFormatter.Rules(follow.Settings));
        }

        text.AppendLine().AppendLine().Append("Change rules by sending /follow again; stop with /unfollow <leader>.");
        await context.ReplyAsync(text.ToString(), cancellationToken);
        return UpdateOutcome.Ok;
    }
}
