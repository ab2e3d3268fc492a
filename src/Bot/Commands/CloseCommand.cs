using System.Globalization;
using VantaBot.Bot.Commands.Arguments;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

public sealed class CloseCommand(IPositionStore positions, PerpCloseService closer) : ICommandHandler, ICommandMetadata
{
    public static string Command => "close";

    public static Role MinimumRole => Role.Trader;

    public static bool IsTradingAction => true;

    public static string Usage => "/close <POSITION_ID> [<PCT>%]";

    public static string Description => "Close a position, or part of it, e.g. /close 3f2a9c01b7de 50%";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Command.Arguments;
        if (args.Count is < 1 or > 2)
        {
            await context.ReplyAsync($"Usage: {Usage}, e.g. /close 3f2a9c01b7de or /close 3f2a9c01b7de 25%.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var fraction = 1m;
        if (args.Count == 2 && !TryParsePercent(args[1], out fraction, out var percentError))
        {
            await context.ReplyAsync($"{percentError} Usage: {Usage}.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var (position, error) = await PositionArgument.ResolveAsync(positions, context.User.Id, args[0], cancellationToken);
        if (position is null)
        {
            await context.ReplyAsync(error, cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        // Keyed by the update: a re-delivered /close closes nothing twice.
        var outcome = await closer.CloseAsync(
            new ClosePositionOrder(context.User.Id, $"update:{context.UpdateId}", position.Id, fraction, CloseReason.Manual), cancellationToken);
        if (outcome is ClosePositionOutcome.Closed closed)
        {
            // The reply is the close's outbox notice: once it reaches the chat the relay does not send it again.
            await context.Replies.SendOutcomeAsync(
                context.ChatId, Describe(outcome), TradeOutcomeNotices.KeyForClose(context.User.Id, closed.Close.Intent), cancellationToken);
        }
        else
        {
            await context.ReplyAsync(Describe(outcome), cancellationToken);
        }

        return outcome is ClosePositionOutcome.Closed or ClosePositionOutcome.AlreadyHandled ? UpdateOutcome.Ok : UpdateOutcome.Rejected;
    }

    private static string Describe(ClosePositionOutcome outcome) => outcome switch
    {
        ClosePositionOutcome.Closed closed => CloseFormatter.Describe(closed.Close, closed.Remaining),
        ClosePositionOutcome.Rejected rejected => $"❌ Not closed — {rejected.Rule}: {rejected.Reason}",
        _ => outcome.Message,
    };

    /// <summary>"50%", "12.5%": above 0 and at most 100, at most two decimals.</summary>
    private static bool TryParsePercent(string text, out decimal fraction, out string error)
    {
        fraction = 0m;
        if (!text.EndsWith('%'))
        {
            error = $"'{NumberArgument.Shorten(text)}' must be a percentage such as 50%.";
            return false;
        }

        if (!NumberArgument.TryParse(text[..^1], 2, out var percent, out error))
        {
            return false;
        }

        if (percent is <= 0m or > 100m)
        {
            error = $"The part to close must be above 0% and at most 100%; got {percent.ToString("0.##", CultureInfo.InvariantCulture)}%.";
            return false;
        }

        fraction = percent / 100m;
        return true;
    }
}
