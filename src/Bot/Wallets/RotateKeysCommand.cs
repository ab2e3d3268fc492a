using VantaBot.Bot.Admin;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.KeyVault;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Wallets;

/// <summary>Re-wraps every wallet's data key under the current master key, while the bot keeps serving (audited).</summary>
public sealed class RotateKeysCommand(IKeyVault vault, IAuditLog audit) : AuditedCommand(audit), ICommandMetadata
{
    public static string Command => "rotate_keys";

    public static Role MinimumRole => Role.SuperAdmin;

    public static string Usage => "/rotate_keys";

    public static string Description => "Re-wrap every wallet's data key under the current master key";

    protected override async Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Command.Arguments.Count > 0)
        {
            await context.ReplyAsync($"/rotate_keys takes no arguments (add a new master key first, e.g. rotate-keys --new-key on the server). Usage: {Usage}", cancellationToken);
            return AdminResult.Invalid(Usage);
        }

        var result = await vault.RotateAsync(cancellationToken);
        await context.ReplyAsync(
            $"🔑 Key rotation: {result.Describe()}."
            + (result.Failed > 0 ? " ⚠️ Failed rows were left as they were; the log names their wallet ids." : ""),
            cancellationToken);
        return result.Failed > 0 ? AdminResult.Ok($"partial: {result.Describe()}") : AdminResult.Ok(result.Describe());
    }
}
