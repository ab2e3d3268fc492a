using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Execution;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

/// <summary>A trader's own opt-in to LIVE (the staged rollout): only with a configured wallet.</summary>
public sealed class LiveCommand(ILiveOptInStore optIns, IUserWallets wallets, IExecutionModeResolver resolver, IAuditLog audit)
    : AuditedCommand(audit), ICommandMetadata
{
    public static string Command => "live";

    public static Role MinimumRole => Role.Trader;

    public static string Usage => "/live [on|off]";

    public static string Description => "Opt in to or out of LIVE trading for your own orders";

    protected override async Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var user = context.User.Id;
        var args = context.Command.Arguments;
        switch (args.Count == 1 ? args[0].ToLowerInvariant() : args.Count == 0 ? "" : "?")
        {
            case "":
                var mode = await resolver.ResolveAsync(user, cancellationToken);
                await context.ReplyAsync($"Your orders run {(mode.IsLive ? "LIVE (real funds)" : "DRY (paper)")}: {mode.Reason}.", cancellationToken);
                return AdminResult.Ok($"shown: {mode.Mode}");

            case "on":
                if (await wallets.MissingForLiveAsync(user, cancellationToken) is { } missing)
                {
                    await context.ReplyAsync($"⛔ LIVE not enabled: it needs {missing}. You keep trading on paper (DRY).", cancellationToken);
                    return AdminResult.Rejected("no wallet");
                }

                await optIns.SetAsync(user, true, cancellationToken);
                var now = await resolver.ResolveAsync(user, cancellationToken);
                await context.ReplyAsync(
                    now.IsLive ? "🔴 You opted in: your next orders run LIVE with real funds. /live off to go back to paper." : $"You opted in to LIVE, but your orders still run DRY: {now.Reason}.",
                    cancellationToken);
                return AdminResult.Ok("opted in");

            case "off":
                await optIns.SetAsync(user, false, cancellationToken);
                await context.ReplyAsync("✅ LIVE off: your orders run on paper (DRY).", cancellationToken);
                return AdminResult.Ok("opted out");

            default:
                await context.ReplyAsync($"Usage: {Usage}.", cancellationToken);
                return AdminResult.Invalid(Usage);
        }
    }
}
