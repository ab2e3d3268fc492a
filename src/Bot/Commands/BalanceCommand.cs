using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

public sealed class BalanceCommand(IAccountLedger ledger) : ICommandHandler, ICommandMetadata
{
    public static string Command => "balance";

    public static Role MinimumRole => Role.Viewer;

    public static string Usage => "/balance";

    public static string Description => "Balance, held, available";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var account = await ledger.GetAsync(context.User.Id, cancellationToken);
        await context.ReplyAsync(
            $"""
            Balance:   {Money.Format(account.Balance)} USDC
            Held:      {Money.Format(account.Held)} USDC (orders in flight)
            Available: {Money.Format(account.Available)} USDC
            """,
            cancellationToken);
        return UpdateOutcome.Ok;
    }
}
