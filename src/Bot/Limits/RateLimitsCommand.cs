using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Outbound;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Limits;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Limits;

/// <summary>/rate_limits: the limiter's state (store, Redis health, defaults, overrides, outbound backlog), or one user's usage against their limits.</summary>
public sealed class RateLimitsCommand(
    RateLimiter limiter,
    LimiterHealth health,
    IRateLimitOverrides overrides,
    IUserDirectory users,
    OutboundQueue outbound,
    IOptions<LimitsOptions> options) : ICommandHandler, ICommandMetadata
{
    public static string Command => "rate_limits";

    public static Role MinimumRole => Role.Operator;

    public static string Usage => "/rate_limits [telegram_id]";

    public static string Description => "Limiter state and Redis health, or one user's usage against their limits";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (context.Command.Arguments.Count)
        {
            case 0:
                await context.ReplyAsync(await GlobalAsync(cancellationToken), cancellationToken);
                return UpdateOutcome.Ok;
            case 1 when TryParseUserId(context.Command.Arguments[0], out var id):
                var user = await users.FindAsync(id, cancellationToken);
                if (user is null)
                {
                    await context.ReplyAsync($"No user with Telegram id {id.Value.ToString(CultureInfo.InvariantCulture)} has talked to the bot yet.", cancellationToken);
                    return UpdateOutcome.Rejected;
                }

                await context.ReplyAsync(await ForUserAsync(user, cancellationToken), cancellationToken);
                return UpdateOutcome.Ok;
            default:
                await context.ReplyAsync($"Usage: {Usage}, e.g. /rate_limits or /rate_limits 123456789.", cancellationToken);
                return UpdateOutcome.InvalidArguments;
        }
    }

    internal static bool TryParseUserId(string text, out UserId id)
    {
        var ok = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0;
        id = new UserId(ok ? value : 0);
        return ok;
    }

    private async Task<string> GlobalAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("Rate limiter: ").AppendLine(await health.DescribeAsync(cancellationToken));
        text.AppendLine("Default limits per user:");
        foreach (var name in RateLimitNames.All)
        {
            text.Append("• ").Append(name.Code()).Append(" — ").Append(name.Describe()).Append(": ")
                .AppendLine(RateLimiter.FormatLimit(name, options.Value.DefaultFor(name)));
        }

        text.Append("Per-user overrides: ").AppendLine((await overrides.CountAsync(cancellationToken)).ToString(CultureInfo.InvariantCulture));
        text.Append("Outbound queue: ").Append(outbound.Pending.ToString(CultureInfo.InvariantCulture)).Append(" message(s) waiting or in flight");
        return text.ToString();
    }

    private async Task<string> ForUserAsync(BotUser user, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("Limits of ").Append(user.DisplayName).Append(" (").Append(user.Id.Value.ToString(CultureInfo.InvariantCulture)).Append(", ").Append(user.Role).AppendLine("):");
        IReadOnlyList<LimitStatus> statuses;
        try
        {
            statuses = await limiter.GetStatusAsync(user.Id, cancellationToken);
        }
        catch (RateLimitStoreUnavailableException ex)
        {
            return text.Append("Usage unknown: ").Append(ex.Message).Append(". Trading is refused until the store answers.").ToString();
        }

        foreach (var status in statuses)
        {
            text.Append("• ").Append(status.Limit.Code()).Append(": ");
            if (status.Value == 0)
            {
                text.Append("blocked (0)");
            }
            else
            {
                text.Append(status.Used.ToString("#,0", CultureInfo.InvariantCulture)).Append(" used of ").Append(RateLimiter.FormatLimit(status.Limit, status.Value));
                if (status.Used > 0)
                {
                    text.Append(", all free in ").Append(RateLimiter.FormatWait(TimeSpan.FromSeconds(Math.Ceiling(status.FullyFreeIn.TotalSeconds))));
                }
            }

            text.AppendLine(status.IsOverride ? " (override)" : "");
        }

        return text.ToString().TrimEnd();
    }
}
