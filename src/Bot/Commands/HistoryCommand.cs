using System.Globalization;
using System.Text;
using VantaBot.Bot.Commands.Arguments;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

public sealed class HistoryCommand(IPositionStore positions) : ICommandHandler, ICommandMetadata
{
    public const int DefaultCount = 10;
    public const int MaxCount = 50;

    public static string Command => "history";

    public static Role MinimumRole => Role.Viewer;

    public static string Usage => "/history [n]";

    public static string Description => $"Your last trades, opens and closes (default {DefaultCount}, at most {MaxCount})";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Command.Arguments;
        var count = DefaultCount;
        if (args.Count > 1 || (args.Count == 1 && !TryParseCount(args[0], out count)))
        {
            await context.ReplyAsync($"Usage: {Usage} — n is a whole number from 1 to {MaxCount}.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var opens = await positions.GetRecentPositionsAsync(context.User.Id, count, cancellationToken);
        var closes = await positions.GetClosesAsync(context.User.Id, null, count, cancellationToken);
        var events = opens.Select(o => (At: o.Position.OpenedAt, Line: OpenLine(o)))
            .Concat(closes.Select(c => (At: c.ClosedAt, Line: CloseLine(c))))
            .OrderByDescending(e => e.At)
            .Take(count)
            .ToList();
        if (events.Count == 0)
        {
            await context.ReplyAsync("No trades yet. Open one with /long or /short, e.g. /long ETH 100 10x.", cancellationToken);
            return UpdateOutcome.Ok;
        }

        var text = new StringBuilder("Last ").Append(events.Count).Append(events.Count == 1 ? " trade" : " trades").Append(" (UTC):");
        foreach (var (at, line) in events)
        {
            text.AppendLine().Append(at.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(' ').Append(line);
        }

        await context.ReplyAsync(text.ToString(), cancellationToken);
        return UpdateOutcome.Ok;
    }

    private static bool TryParseCount(string text, out int count)
    {
        var valid = NumberArgument.TryParse(text, 0, out var value, out _) && value is >= 1 and <= MaxCount;
        count = valid ? (int)value : 0;
        return valid;
    }

    private static string OpenLine(OpenedPosition opened)
    {
        var p = opened.Position;
        return $"OPEN  {Word(p.Side)} {p.Pair} {p.Leverage.ToString("0.##", CultureInfo.InvariantCulture)}x · {Money.Format(opened.Posted)} USDC @ {Money.Price(p.EntryPrice)} · {p.Id}";
    }

    private static string CloseLine(PositionClose c) =>
        $"CLOSE {Word(c.Side)} {c.Pair}{(c.ClosedFully ? "" : $" {(c.Fraction * 100m).ToString("0.##", CultureInfo.InvariantCulture)}%")} @ {Money.Price(c.ExitPrice)} · {Money.Signed(c.RealizedPnl)} USDC · {c.Reason} · {c.Position}";

    private static string Word(Side side) => side == Side.Long ? "LONG" : "SHORT";
}
