using VantaBot.Bot.Pipeline;
using VantaBot.Risk;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

public sealed class StartCommand(IExecutionModeStore executionMode) : ICommandHandler, ICommandMetadata
{
    public static string Command => "start";

    public static Role MinimumRole => Role.Viewer;

    public static string Usage => "/start";

    public static string Description => "Welcome, and what this bot does";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var mode = await executionMode.GetAsync(cancellationToken);
        var modeLine = mode == ExecutionMode.Dry
            ? "Execution mode: DRY — paper trading, no real funds move."
            : "Execution mode: LIVE — orders of users who opted in trade real funds.";
        var text = $"""
            Welcome to VantaBot, {context.User.DisplayName}!

            I am a trading assistant: leveraged perpetuals, DEX swaps and copy-trading, steered from this chat, with rate limits, leverage safety checks and daily loss limits on every order.

            {modeLine}
            Your role: {context.User.Role}.

            Try /price ETH, or send /help for every command you can use.
            """;
        await context.ReplyAsync(text, cancellationToken);
        return UpdateOutcome.Ok;
    }
}
