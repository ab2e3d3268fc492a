using System.Text;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

/// <summary>Re-checks the whole hash chain and its head; its own audit row is written after the check.</summary>
public sealed class AuditVerifyCommand(AuditChainVerifier verifier, IAuditLog audit) : AuditedCommand(audit), ICommandMetadata
{
    private const int ProblemsShown = 10;

    public static string Command => "audit_verify";

    public static Role MinimumRole => Role.Admin;

    public static string Usage => "/audit_verify";

    public static string Description => "Check the audit log for edited or deleted rows";

    protected override async Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var result = await verifier.VerifyAsync(cancellationToken);
        await context.ReplyAsync(Describe(result, ProblemsShown), cancellationToken);
        return result.IsIntact ? AdminResult.Ok($"intact, {result.RowsChecked} rows") : AdminResult.Ok($"BROKEN: {result.Problems.Count} problems");
    }

    public static string Describe(AuditVerification result, int problemsShown)
    {
        if (result.IsIntact)
        {
            var head = result.Head is { } h ? $", head row {h.Id} {h.Hash[..16]}…" : "";
            return $"✅ Audit log intact: {result.RowsChecked} rows, every hash and link checks out{head}.";
        }

        var text = new StringBuilder($"❌ Audit log BROKEN ({result.RowsChecked} rows checked, {result.Problems.Count} problems):");
        foreach (var problem in result.Problems.Take(problemsShown))
        {
            text.AppendLine().Append("• ").Append(problem.Description);
        }

        return text.ToString();
    }
}
