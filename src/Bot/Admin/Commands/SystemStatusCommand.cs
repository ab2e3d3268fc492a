using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Risk;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

public sealed class SystemStatusCommand(
    IExecutionModeStore modes,
    SystemControl control,
    InstanceIdentity instance,
    InstanceHeartbeatStore heartbeats,
    HealthCheckService health,
    IPriceFeed prices,
    IOptions<TradingOptions> trading,
    IOptions<AdminOptions> admin,
    TimeProvider time,
    IAuditLog audit) : AuditedCommand(audit), ICommandMetadata
{
    public static string Command => "system_status";

    public static Role MinimumRole => Role.Operator;

    public static string Usage => "/system_status";

    public static string Description => "Mode, stop and maintenance, instances, health";

    protected override async Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var mode = await modes.GetAsync(cancellationToken);
        var switches = await control.RefreshAsync(cancellationToken);
        var text = new StringBuilder("System status\n");
        text.Append("Version ").Append(instance.Version).Append(" · uptime ").AppendLine(AdminText.Duration(now - instance.StartedAt));
        text.Append("Execution mode: ").Append(ExecutionModeCommand.Name(mode)).Append(" (Trading__AllowLive=").Append(trading.Value.AllowLive ? "true" : "false").AppendLine(")");
        text.Append("Emergency stop: ").AppendLine(switches.Stop is { } stop ? $"ACTIVE since {AdminText.Time(stop.At)} by {AdminText.Who(stop.By)} — {stop.Reason}" : "off");
        text.Append("Maintenance: ").AppendLine(switches.Maintenance is { } m ? $"ON since {AdminText.Time(m.At)} — \"{m.Message}\"" : "off");

        // An instance counts as alive when it beat within three intervals: one missed beat is not a death.
        var seen = await heartbeats.SeenSinceAsync(now - (admin.Value.HeartbeatInterval * 3), cancellationToken);
        text.Append("Instances seen: ").Append(seen.Count).AppendLine();
        foreach (var other in seen)
        {
            text.Append("  ").Append(other.InstanceId).Append(other.InstanceId == instance.Id ? " (this one)" : "")
                .Append(" · up ").AppendLine(AdminText.Duration(now - other.StartedAt));
        }

        var report = await health.CheckHealthAsync(cancellationToken);
        text.Append("Health:");
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(' ').Append(name).Append(entry.Status == HealthStatus.Healthy ? " ✓" : $" ✗ ({entry.Description})");
        }

        if (!report.Entries.ContainsKey("redis"))
        {
            text.Append(" redis: not configured (in-process)");
        }

        text.AppendLine();
        text.Append("Prices: ").Append(await PriceHealthAsync(cancellationToken));
        await context.ReplyAsync(text.ToString(), cancellationToken);
        return AdminResult.Ok("shown");
    }

    private async Task<string> PriceHealthAsync(CancellationToken cancellationToken)
    {
        int fresh = 0, stale = 0;
        var missing = new List<string>();
        foreach (var pair in prices.SupportedPairs)
        {
            var reading = await prices.GetPriceAsync(pair, cancellationToken);
            if (reading is null)
            {
                missing.Add(pair.Base);
            }
            else if (reading.IsStale)
            {
                stale++;
            }
            else
            {
                fresh++;
            }
        }

        var line = $"{prices.SupportedPairs.Count} pairs — {fresh} fresh, {stale} stale, {missing.Count} without a price";
        return missing.Count == 0 ? line : $"{line} ({string.Join(", ", missing)})";
    }
}
