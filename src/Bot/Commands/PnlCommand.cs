using System.Text;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

public sealed class PnlCommand(IPositionStore positions, PortfolioValuation portfolio, TimeProvider time) : ICommandHandler, ICommandMetadata
{
    public static string Command => "pnl";

    public static Role MinimumRole => Role.Viewer;

    public static string Usage => "/pnl [today|7d|all]";

    public static string Description => "Realized and unrealised profit and loss, e.g. /pnl 7d";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Command.Arguments;
        var period = args.Count == 0 ? "today" : args[0].ToLowerInvariant();
        var now = time.GetUtcNow();
        (DateTimeOffset? since, string label) = period switch
        {
            "today" => ((DateTimeOffset?)new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero), "today (since 00:00 UTC)"),
            "7d" => (now.AddDays(-7), "the last 7 days"),
            "all" => (null, "all time"),
            _ => (null, ""),
        };
        if (args.Count > 1 || label.Length == 0)
        {
            await context.ReplyAsync($"Usage: {Usage} — the period is today, 7d or all.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var closes = await positions.SummarizeClosesAsync(context.User.Id, since, cancellationToken);
        var snapshot = await portfolio.ValueAsync(context.User.Id, cancellationToken);
        var losses = closes.Count - closes.Wins;
        var text = new StringBuilder();
        text.Append("PnL — ").AppendLine(label);
        text.Append("Realized:   ").Append(Money.Signed(closes.RealizedPnl)).Append(" USDC over ").Append(closes.Count).Append(closes.Count == 1 ? " close" : " closes");
        if (closes.Count > 0)
        {
            text.Append(" (").Append(closes.Wins).Append(closes.Wins == 1 ? " win, " : " wins, ").Append(losses).Append(losses == 1 ? " loss" : " losses")
                .Append("; fees ").Append(Money.Format(closes.Fees)).Append(')');
        }

        text.AppendLine();
        text.Append("Unrealised: ").Append(Money.Signed(snapshot.UnrealizedPnl)).Append(" USDC on ").Append(snapshot.Positions.Count)
            .Append(snapshot.Positions.Count == 1 ? " open position" : " open positions").AppendLine(snapshot.IsIncomplete ? " (some without a price)" : "");
        text.Append("Total:      ").Append(Money.Signed(closes.RealizedPnl + snapshot.UnrealizedPnl)).Append(" USDC");
        await context.ReplyAsync(text.ToString(), cancellationToken);
        return UpdateOutcome.Ok;
    }
}
