using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Commands;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Risk;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin.Commands;

/// <summary>The risk limits in force and the user/pair exposures closest to the per-pair position cap.</summary>
public sealed class RiskSummaryCommand(IOptions<RiskOptions> risk, ExposureQuery exposures, IAuditLog audit) : AuditedCommand(audit), ICommandMetadata
{
    private const int Shown = 5;

    public static string Command => "risk_summary";

    public static Role MinimumRole => Role.Operator;

    public static string Usage => "/risk_summary";

    public static string Description => "Risk limits in force and users closest to them";

    protected override async Task<AdminResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var limits = risk.Value;
        var text = new StringBuilder("Risk limits in force\n");
        text.Append("Max position per user and pair: ").Append(Money.Format(limits.MaxPositionUsd)).AppendLine(" USD notional");
        text.Append("Max risk per position: ").Append(Percent(limits.MaxRiskPerPositionFraction)).AppendLine(" of equity");
        text.Append("Liquidation buffer: ").Append(Percent(limits.LiquidationBufferFraction)).AppendLine(" of collateral");
        text.Append("Daily loss limit: ").Append(Percent(limits.DailyLossLimitFraction)).AppendLine(" of the day's starting equity");
        text.Append("Confirmation above ").Append(limits.ConfirmationLeverageAbove.ToString("0.##", CultureInfo.InvariantCulture)).Append("x, card valid ")
            .Append(limits.ConfirmationTtl.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)).AppendLine(" s");
        text.Append("Max slippage: ").AppendLine(Percent(limits.MaxSlippageFraction));

        var open = await exposures.OpenExposuresAsync(cancellationToken);
        text.AppendLine();
        if (open.Count == 0)
        {
            text.Append("No open positions.");
        }
        else
        {
            text.Append("Closest to the position cap (users with open positions: ").Append(open.Select(e => e.User).Distinct().Count()).Append("):");
            foreach (var exposure in open.Take(Shown))
            {
                var used = limits.MaxPositionUsd > 0 ? exposure.NotionalUsd / limits.MaxPositionUsd : 0m;
                text.AppendLine().Append("  user ").Append(exposure.User).Append(' ').Append(exposure.Pair).Append(": ")
                    .Append(Money.Format(exposure.NotionalUsd)).Append(" USD (").Append(Percent(used)).Append(" of the cap, ")
                    .Append(exposure.Positions).Append(exposure.Positions == 1 ? " position)" : " positions)");
            }
        }

        await context.ReplyAsync(text.ToString(), cancellationToken);
        return AdminResult.Ok("shown");
    }

    private static string Percent(decimal fraction) => (fraction * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
