using System.Globalization;
using VantaBot.Bot.Commands.Arguments;
using VantaBot.Bot.Pipeline;
using VantaBot.Risk;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

/// <summary>Paper funds for DRY mode. LIVE balances will come from the chain, never from a chat command.</summary>
public sealed class DepositCommand(IAccountLedger ledger, IExecutionModeStore executionMode) : ICommandHandler, ICommandMetadata
{
    public const decimal MaxDeposit = 1_000_000m;

    public static string Command => "deposit";

    public static Role MinimumRole => Role.Trader;

    public static bool IsTradingAction => true;

    public static string Usage => "/deposit <USDC>";

    public static string Description => "Add paper USDC (DRY mode only), e.g. /deposit 1000";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Command.Arguments.Count != 1)
        {
            await context.ReplyAsync($"Usage: {Usage}, e.g. /deposit 1000.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        if (!NumberArgument.TryParse(context.Command.Arguments[0], Usdc.Decimals, out var amount, out var error))
        {
            await context.ReplyAsync($"{error} Usage: {Usage}.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        if (amount <= 0 || amount > MaxDeposit)
        {
            await context.ReplyAsync($"A deposit must be more than 0 and at most {MaxDeposit.ToString("#,0", CultureInfo.InvariantCulture)} USDC.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        if (await executionMode.GetAsync(cancellationToken) != ExecutionMode.Dry)
        {
            await context.ReplyAsync("Paper deposits exist only in DRY mode; the bot is in LIVE mode.", cancellationToken);
            return UpdateOutcome.Rejected;
        }

        // Keyed by the update: a re-delivered /deposit credits nothing twice.
        var credited = await ledger.DepositAsync(context.User.Id, amount, $"update:{context.UpdateId}", cancellationToken);
        var account = await ledger.GetAsync(context.User.Id, cancellationToken);
        var prefix = credited ? $"Deposited {Money.Format(amount)} paper USDC." : "That deposit was already credited.";
        await context.ReplyAsync($"{prefix} Balance {Money.Format(account.Balance)}, available {Money.Format(account.Available)} USDC.", cancellationToken);
        return UpdateOutcome.Ok;
    }
}
