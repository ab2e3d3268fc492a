using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

public sealed class BalanceCommand(PortfolioValuation portfolio) : ICommandHandler, ICommandMetadata
{
    public static string Command => "balance";

    public static Role MinimumRole => Role.Viewer;

    public static string Usage => "/balance";

    public static string Description => "Balance, held, available, and equity including unrealised PnL";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var snapshot = await portfolio.ValueAsync(context.User.Id, cancellationToken);
        var account = snapshot.Account;
        var count = snapshot.Positions.Count;
        await context.ReplyAsync(
            $"""
            Balance:   {Money.Format(account.Balance)} USDC
            Held:      {Money.Format(account.Held)} USDC (orders in flight)
            Available: {Money.Format(account.Available)} USDC
            In positions: {Money.Format(snapshot.Positions.Sum(p => p.Position.Collateral))} USDC collateral in {count} open {(count == 1 ? "position" : "positions")}, unrealised {Money.Signed(snapshot.UnrealizedPnl)}
            Equity:    {Money.Format(snapshot.Equity)} USDC{(snapshot.IsIncomplete ? " (a position has no price right now and counts at its collateral)" : "")}
            """,
            cancellationToken);
        return UpdateOutcome.Ok;
    }
}
