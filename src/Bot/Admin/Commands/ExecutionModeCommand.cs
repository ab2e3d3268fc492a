using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Risk;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Control;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

/// <summary>
/// Shows or sets the global execution mode. DRY is immediate (Admin). LIVE needs a SuperAdmin (checked by the
/// pipeline from the argument), <c>Trading__AllowLive=true</c>, and a tap on a confirmation card within 60 s.
/// </summary>
public sealed class ExecutionModeCommand(
    IExecutionModeStore modes,
    IExecutionModeWriter writer,
    LiveSwitchConfirmations confirmations,
    AdminNotifier notifier,
    IOptions<TradingOptions> trading,
    IAuditLog audit) : AuditedCommand(audit), ICommandMetadata
{
    public const string ConfirmPrefix = "golive";
    public const string CancelPrefix = "golive_cancel";

    public static string Command => "execution_mode";

    public static Role MinimumRole => Role.Admin;

    public static string Usage => "/execution_mode [DRY|LIVE]";

    public static string Description => "Show or set the global mode (LIVE: SuperAdmin, with confirmation)";

    /// <summary>LIVE reaches further than DRY: the pipeline refuses it below SuperAdmin before this handler runs.</summary>
    public static Role RequiredRole(IReadOnlyList<string> arguments) =>
        arguments.Count > 0 && arguments[0].Equals("live", StringComparison.OrdinalIgnoreCase) ? Role.SuperAdmin : Role.Admin;

    public static TelegramInlineKeyboardMarkup ConfirmationButtons(string token) => new()
    {
        InlineKeyboard =
        [[
            new TelegramInlineKeyboardButton { Text = "🔴 Switch to LIVE", CallbackData = $"{ConfirmPrefix}:{token}" },
            new TelegramInlineKeyboardButton { Text = "✖ Stay DRY", CallbackData = $"{CancelPrefix}:{token}" },
        ]],
    };

    protected override async Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Command.Arguments;
        var current = await modes.GetAsync(cancellationToken);
        if (args.Count == 0)
        {
            await context.ReplyAsync(
                $"Execution mode: {Name(current)}. Trading__AllowLive={(trading.Value.AllowLive ? "true" : "false")}. An order is LIVE only when the mode is LIVE, live trading is allowed, and its trader opted in with /live on. Set with {Usage}.",
                cancellationToken);
            return AdminResult.Ok($"shown: {Name(current)}");
        }

        switch (args.Count == 1 ? args[0].ToUpperInvariant() : "")
        {
            case "DRY":
                if (current == ExecutionMode.Dry)
                {
                    await context.ReplyAsync("Execution mode is already DRY; nothing changed.", cancellationToken);
                    return AdminResult.Ok("no-op: already DRY");
                }

                await writer.SetAsync(ExecutionMode.Dry, cancellationToken);
                await context.ReplyAsync("✅ Execution mode is now DRY: every new order runs on paper venues.", cancellationToken);
                await notifier.NotifyAdminsAsync(context.Replies, $"Execution mode set to DRY by {AdminText.Actor(context.User)}.", context.User.Id, cancellationToken);
                return AdminResult.Ok("LIVE -> DRY");

            case "LIVE":
                if (!trading.Value.AllowLive)
                {
                    await context.ReplyAsync("⛔ LIVE refused: this deployment does not allow live trading (Trading__AllowLive=false). The mode stays DRY.", cancellationToken);
                    return AdminResult.Rejected("Trading__AllowLive=false");
                }

                if (current == ExecutionMode.Live)
                {
                    await context.ReplyAsync("Execution mode is already LIVE; nothing changed.", cancellationToken);
                    return AdminResult.Ok("no-op: already LIVE");
                }

                var token = confirmations.Add(context.User.Id);
                await context.ReplyAsync(
                    $"⚠️ Switch to LIVE? Orders of traders who opted in (/live on) will then move real funds. Confirm within {LiveSwitchConfirmations.Ttl.TotalSeconds:0} s; until then the mode stays DRY.",
                    cancellationToken,
                    ConfirmationButtons(token));
                return AdminResult.Ok("LIVE asked; awaiting confirmation");

            default:
                await context.ReplyAsync($"Usage: {Usage}, e.g. /execution_mode DRY.", cancellationToken);
                return AdminResult.Invalid(Usage);
        }
    }

    public static string Name(ExecutionMode mode) => mode == ExecutionMode.Live ? "LIVE" : "DRY";
}
