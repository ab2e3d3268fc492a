using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Copy.Commands;

/// <summary>/unfollow: stops copying a leader. Positions already mirrored are the trader's own and stay open.</summary>
public sealed class UnfollowCommand(IFollowStore follows) : ICommandHandler, ICommandMetadata
{
    public static string Command => "unfollow";

    public static Role MinimumRole => Role.Trader;

    public static string Usage => "/unfollow <leader>";

    public static string Description => "Stop copying a leader (positions already copied stay open)";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Command.Arguments;
        var leader = default(LeaderRef);
        var problem = args.Count switch
        {
            0 => "name the leader",
            > 1 => "name one leader",
            _ => LeaderArgument.TryParse(args[0], out leader, out var error) ? null : error,
        };
        if (problem is not null)
        {
            await context.ReplyAsync($"Cannot unfollow: {problem.TrimEnd('.')}. Usage: {Usage}, the leader as /following shows it.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        if (!await follows.RemoveAsync(context.User.Id, leader, cancellationToken))
        {
            await context.ReplyAsync($"You do not follow {FollowFormatter.Leader(leader)}, so nothing changed. /following lists whom you follow.", cancellationToken);
            return UpdateOutcome.Rejected;
        }

        await context.ReplyAsync(
            $"✅ Stopped following {FollowFormatter.Leader(leader)}: none of their trades is copied from now on. " +
            "Positions already mirrored stay open: they are your own now and close with /close.",
            cancellationToken);
        return UpdateOutcome.Ok;
    }
}
