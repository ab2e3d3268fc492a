using System.Globalization;
using System.Text;
using VantaBot.Bot.Commands;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Copy.Commands;

/// <summary>/leaders: the opted-in traders with the best realized PnL, and the on-chain wallets followed here.</summary>
public sealed class LeadersCommand(ILeaderBoard board) : ICommandHandler, ICommandMetadata
{
    public const int Shown = 10;

    public const string NoPnlForWallets =
        "PnL n/a for on-chain wallets: their swaps are seen, but not what they paid for the tokens they sell, so no realized PnL can be worked out.";

    public static string Command => "leaders";

    public static Role MinimumRole => Role.Viewer;

    public static string Usage => "/leaders";

    public static string Description => "Top leaders to copy: trades, win rate, PnL and max drawdown";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Command.Arguments.Count > 0)
        {
            await context.ReplyAsync($"Usage: {Usage} (it takes no arguments).", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var bots = await board.TopBotLeadersAsync(Shown, cancellationToken);
        var wallets = await board.FollowedEvmLeadersAsync(Shown, cancellationToken);
        if (bots.Count == 0 && wallets.Count == 0)
        {
            await context.ReplyAsync(
                "No leaders yet. Become one with /leader on: others then copy your perps trades with /follow <your id>. " +
                "You can also follow any on-chain wallet with /follow 0x….",
                cancellationToken);
            return UpdateOutcome.Ok;
        }

        var text = new StringBuilder();
        if (bots.Count == 0)
        {
            text.Append("No trader offers to be followed yet (/leader on makes you a leader).");
        }
        else
        {
            text.Append("Top leaders by realized PnL, all time (net of fees):");
            var rank = 0;
            foreach (var leader in bots)
            {
                var p = leader.Performance;
                text.AppendLine().AppendLine();
                text.Append(++rank).Append(". ").Append(string.IsNullOrWhiteSpace(leader.DisplayName) ? "(no name)" : leader.DisplayName)
                    .Append(" — /follow ").AppendLine(leader.Leader.Key);
                text.Append("   followers ").Append(leader.Followers)
                    .Append(" · trades ").Append(p.Trades)
                    .Append(" · win rate ").Append(p.WinRate is { } rate ? (rate * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "n/a")
                    .Append(" · PnL ").Append(Money.Signed(p.RealizedPnl)).Append(" USDC")
                    .Append(" · max drawdown ").Append(Money.Format(p.MaxDrawdown)).Append(" USDC");
            }
        }

        if (wallets.Count > 0)
        {
            text.AppendLine().AppendLine().Append("On-chain wallets followed here:");
            foreach (var wallet in wallets)
            {
                text.AppendLine().Append(FollowFormatter.Address(wallet.Address))
                    .Append(" — followers ").Append(wallet.Followers)
                    .Append(" · swaps recorded ").Append(wallet.RecordedSwaps);
            }

            text.AppendLine().Append(NoPnlForWallets);
        }

        await context.ReplyAsync(text.ToString(), cancellationToken);
        return UpdateOutcome.Ok;
    }
}
