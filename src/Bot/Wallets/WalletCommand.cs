using System.Text;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;

namespace VantaBot.Bot.Wallets;

/// <summary>The trader's custodial EVM wallet: created on first use, then its address and balances.</summary>
public sealed class WalletCommand(IWalletDirectory wallets, IWalletBalances balances) : ICommandHandler, ICommandMetadata
{
    public static string Command => "wallet";

    public static Role MinimumRole => Role.Trader;

    public static string Usage => "/wallet";

    public static string Description => "Your EVM wallet (created on first use): address and balances";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Command.Arguments.Count > 0)
        {
            await context.ReplyAsync($"/wallet takes no arguments. Usage: {Usage}", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var existing = await wallets.FindAsync(context.User.Id, ChainFamily.Evm, cancellationToken);
        var wallet = existing ?? await wallets.GetOrCreateAsync(context.User.Id, ChainFamily.Evm, cancellationToken);
        var text = new StringBuilder()
            .AppendLine(existing is null ? "👛 Your EVM wallet was created." : "👛 Your EVM wallet")
            .AppendLine(wallet.Address)
            .AppendLine("The same address on every EVM chain; send only tokens of the chains listed below.")
            .AppendLine()
            .Append(Describe(await balances.ReadAsync(wallet, cancellationToken)));
        await context.ReplyAsync(text.ToString(), cancellationToken);
        return UpdateOutcome.Ok;
    }

    public static string Describe(WalletBalancesResult result) => result switch
    {
        WalletBalancesResult.Unavailable unavailable => $"Balances unavailable: {unavailable.Reason}.",
        WalletBalancesResult.Available { Chains.Count: 0 } => "Balances: no chain to show.",
        WalletBalancesResult.Available available => "Balances:\n" + string.Join('\n', available.Chains.Select(DescribeChain)),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "unknown balances result"),
    };

    private static string DescribeChain(ChainBalances chain) => chain switch
    {
        { Unavailable: { } reason } => $"{chain.Chain}: unavailable ({reason})",
        { Tokens.Count: 0 } => $"{chain.Chain}: nothing",
        _ => $"{chain.Chain}: " + string.Join(", ", chain.Tokens.Select(t => $"{t.Format()} {t.Symbol}")),
    };
}
