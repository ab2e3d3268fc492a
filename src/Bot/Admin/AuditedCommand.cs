using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin;

/// <summary>What an admin command did: the pipeline outcome and the line written to the audit log.</summary>
public sealed record AdminResult(UpdateOutcome Outcome, string AuditOutcome)
{
    public static AdminResult Ok(string what) => new(UpdateOutcome.Ok, "ok: " + what);

    public static AdminResult Rejected(string why) => new(UpdateOutcome.Rejected, "refused: " + why);

    public static AdminResult Invalid(string why) => new(UpdateOutcome.InvalidArguments, "invalid arguments: " + why);
}

/// <summary>
/// Base of every admin-area command: runs it, then appends one audit row with actor, role, command, arguments
/// (redacted by the audit log), outcome and trace id. A failure is audited too before it propagates, so no
/// admin command can run without leaving a row.
/// </summary>
public abstract class AuditedCommand(IAuditLog audit) : ICommandHandler
{
    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        AdminResult result;
        try
        {
            result = await ExecuteAsync(context, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await AppendAsync(audit, context.User, context.Command.Name, context.Command.ArgumentText, $"error: {ex.GetType().Name}", context.TraceId, CancellationToken.None);
            throw;
        }

        await AppendAsync(audit, context.User, context.Command.Name, context.Command.ArgumentText, result.AuditOutcome, context.TraceId, cancellationToken);
        return result.Outcome;
    }

    public static Task AppendAsync(IAuditLog audit, BotUser actor, string command, string arguments, string outcome, string traceId, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditRecord(actor.Id, actor.Role, command, arguments, outcome, traceId), cancellationToken);

    protected abstract Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken);
}
