using System.Globalization;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Limits;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Limits;

/// <summary>/set_limit: lifts or tightens one limit of one user (0 blocks the action), or puts it back to the default. Audited.</summary>
public sealed class SetLimitCommand(IRateLimitOverrides overrides, IUserDirectory users, IAuditLog audit, IOptions<LimitsOptions> options) : ICommandHandler, ICommandMetadata
{
    /// <summary>Keeps every override an exact integer in the limiter's arithmetic (volume is counted in cents).</summary>
    private const long MaxValue = LimitsOptionsValidator.MaxVolumeUsdPerHour;

    public static string Command => "set_limit";

    public static Role MinimumRole => Role.Admin;

    public static string Usage => "/set_limit <telegram_id> <opens|trades|volume|messages|copy> <value|default>";

    public static string Description => "Lift or tighten one user's limit (0 blocks), or reset it to the default";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Command.Arguments;
        if (args.Count != 3)
        {
            return await InvalidAsync(context, "three arguments are needed", cancellationToken);
        }

        if (!RateLimitsCommand.TryParseUserId(args[0], out var target))
        {
            return await InvalidAsync(context, $"'{Shorten(args[0])}' is not a Telegram user id", cancellationToken);
        }

        if (!RateLimitNames.TryParse(args[1], out var limit))
        {
            return await InvalidAsync(context, $"'{Shorten(args[1])}' is not a limit", cancellationToken);
        }

        long? value = null;
        if (!string.Equals(args[2], "default", StringComparison.OrdinalIgnoreCase))
        {
            if (!long.TryParse(args[2].Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > MaxValue)
            {
                return await InvalidAsync(context, $"'{Shorten(args[2])}' is not a whole number from 0 to {MaxValue:#,0} or 'default'", cancellationToken);
            }

            value = parsed;
        }

        var user = await users.FindAsync(target, cancellationToken);
        if (user is null)
        {
            await context.ReplyAsync($"No user with Telegram id {target.Value.ToString(CultureInfo.InvariantCulture)} has talked to the bot yet.", cancellationToken);
            return UpdateOutcome.Rejected;
        }

        var name = limit.Value;
        await overrides.SetAsync(target, name, value, context.User.Id, cancellationToken);
        var effective = value ?? options.Value.DefaultFor(name);
        var summary = value is null
            ? $"{name.Code()} of {target.Value.ToString(CultureInfo.InvariantCulture)} reset to the default, {RateLimiter.FormatLimit(name, effective)}"
            : $"{name.Code()} of {target.Value.ToString(CultureInfo.InvariantCulture)} set to {(effective == 0 ? "0 (blocked)" : RateLimiter.FormatLimit(name, effective))}";
        await audit.AppendAsync(new AuditRecord(context.User.Id, context.User.Role, Command, context.Command.ArgumentText, summary, context.TraceId), cancellationToken);
        await context.ReplyAsync($"✅ {char.ToUpperInvariant(summary[0])}{summary[1..]}. Applies from the user's next action.", cancellationToken);
        return UpdateOutcome.Ok;
    }

    private static async Task<UpdateOutcome> InvalidAsync(CommandContext context, string problem, CancellationToken cancellationToken)
    {
        await context.ReplyAsync($"Cannot set that limit: {problem}. Usage: {Usage}, e.g. /set_limit 123456789 opens 10.", cancellationToken);
        return UpdateOutcome.InvalidArguments;
    }

    private static string Shorten(string text) => text.Length <= 24 ? text : text[..24] + "…";
}
