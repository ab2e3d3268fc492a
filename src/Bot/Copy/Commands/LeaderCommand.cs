using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Copy.Commands;

/// <summary>/leader on|off: a bot trader offers (or withdraws) their perps trades for others to copy.</summary>
public sealed class LeaderCommand(ICopyLeaderStore leaders) : ICommandHandler, ICommandMetadata
{
    public static string Command => "leader";

    public static Role MinimumRole => Role.Trader;

    public static string Usage => "/leader on|off";

    public static string Description => "Offer your perps trades for others to copy (on), or withdraw the offer (off)";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Command.Arguments;
        bool? enable = args.Count == 1 ? args[0].ToLowerInvariant() switch { "on" => true, "off" => false, _ => null } : null;
        if (enable is not { } on)
        {
            await context.ReplyAsync($"Usage: {Usage} — on offers your perps trades for others to copy, off withdraws the offer.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var id = LeaderRef.Bot(context.User.Id).Key;
        var was = await leaders.SetAsync(context.User.Id, on, cancellationToken);
        var reply = on
            ? $"{(was ? "You already are a leader." : "✅ You are a leader now.")} Your leader id is {id}: others follow you with /follow {id}. " +
              "Only your own perps opens and closes are mirrored to them — never trades you copied from someone else, and never your swaps. " +
              "/leaders shows your standing; /leader off withdraws the offer."
            : was
                ? "✅ You are no longer a leader: your new opens are not copied, /follow refuses you and /leaders no longer lists you. When you close a position your followers copied, their copies still close with it."
                : "You were not a leader, so nothing changed. /leader on offers your perps trades for others to copy.";
        await context.ReplyAsync(reply, cancellationToken);
        return UpdateOutcome.Ok;
    }
}
