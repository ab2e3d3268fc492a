using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;
using Microsoft.Extensions.Options;

namespace VantaBot.Bot.Swaps;

/// <summary>
/// /swap: parse, quote and check on the one trade path without writing anything, then show the card (expected and
/// minimum out, price impact, gas). Only the tap executes.
/// </summary>
public sealed class SwapCommand(SwapService swaps, ISwapCatalog catalog, IWalletDirectory wallets, SwapCards cards, IOptions<SwapOptions> options)
    : ICommandHandler, ICommandMetadata
{
    public const string ConfirmPrefix = "swapok";
    public const string CancelPrefix = "swapno";

    public static string Command => "swap";

    public static Role MinimumRole => Role.Trader;

    public static bool IsTradingAction => true;

    public static string Usage => "/swap <AMOUNT> <FROM> <TO> [on <chain>] [slippage=<pct>%]";

    public static string Description => "Swap tokens on a DEX from your wallet, e.g. /swap 0.5 WETH USDC slippage=1%";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (!SwapArguments.TryParse(context.Command.Arguments, out var args, out var error))
        {
            await context.ReplyAsync($"Cannot read that swap: {error.TrimEnd('.')}. Usage: {Usage}, e.g. /swap 0.5 WETH USDC.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        // Checked before the wallet is created: a swap that cannot run must change nothing.
        var chain = args.Chain is { } named ? catalog.FindChain(named) : catalog.DefaultChain;
        if (chain is null)
        {
            var chains = string.Join(", ", catalog.Chains.Select(c => c.Name));
            var problem = catalog.Chains.Count == 0
                ? "Swaps need an EVM chain, and none is configured on this deployment (Chains__<name>__…)."
                : args.Chain is { } unknown
                    ? $"'{unknown}' is not a swap chain here (chains: {chains})."
                    : $"Name the chain: add 'on <chain>' (chains: {chains}).";
            await context.ReplyAsync(problem, cancellationToken);
            return UpdateOutcome.Rejected;
        }

        var wallet = await wallets.GetOrCreateAsync(context.User.Id, ChainFamily.Evm, cancellationToken);
        var order = new SwapOrder(
            context.User.Id, $"update:{context.UpdateId}", chain.Name, args.From, args.To, args.Amount, args.SlippageBasisPoints ?? options.Value.DefaultSlippageBasisPoints);
        var outcome = await swaps.PreviewAsync(order, wallet.Address, cancellationToken);
        if (outcome is SwapOutcome.NeedsConfirmation card)
        {
            var token = cards.Add(new SwapCard(card.Preview, wallet.Address));
            await context.ReplyAsync(SwapFormatter.Card(card.Preview, cards.Ttl), cancellationToken, Buttons(token));
            return UpdateOutcome.Ok;
        }

        await context.ReplyAsync(SwapFormatter.Describe(outcome), cancellationToken);
        return outcome is SwapOutcome.AlreadyHandled ? UpdateOutcome.Ok : UpdateOutcome.Rejected;
    }

    private static TelegramInlineKeyboardMarkup Buttons(string token) => new()
    {
        InlineKeyboard =
        [[
            new TelegramInlineKeyboardButton { Text = "✅ Swap", CallbackData = $"{ConfirmPrefix}:{token}" },
            new TelegramInlineKeyboardButton { Text = "✖ Cancel", CallbackData = $"{CancelPrefix}:{token}" },
        ]],
    };
}
