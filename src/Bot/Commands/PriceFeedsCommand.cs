using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

/// <summary>/price_feeds: each source's health as this instance sees it, and every close-only pair.</summary>
public sealed class PriceFeedsCommand(PriceFeed feed, PriceSourceHealth health, IOptions<PriceFeedOptions> options, TimeProvider time) : ICommandHandler, ICommandMetadata
{
    public static string Command => "price_feeds";

    public static Role MinimumRole => Role.Operator;

    public static string Usage => "/price_feeds";

    public static string Description => "Health of every price source and the pairs that are close-only";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Command.Arguments.Count != 0)
        {
            await context.ReplyAsync($"Usage: {Usage} (no arguments).", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var now = time.GetUtcNow();
        var settings = options.Value;
        var text = new StringBuilder("Price sources:");
        foreach (var source in feed.Sources)
        {
            var record = health.Get(source.Name);
            var status = record.StatusAt(now, settings.MaxQuoteAge + settings.MinFetchInterval);
            text.AppendLine().Append(status switch { SourceStatus.Up => "🟢 ", SourceStatus.Down => "🔴 ", _ => "⚪ " })
                .Append(source.Name).Append(": ").Append(status switch { SourceStatus.Up => "up", SourceStatus.Down => "DOWN", _ => "not asked yet" });
            if (source.IsSimulated)
            {
                text.Append(" (SIMULATED, DRY only)");
            }

            text.Append("; ").Append(source.SupportedPairs.Count).Append(source.SupportedPairs.Count == 1 ? " pair" : " pairs");
            if (record.LastSuccessAt is { } success)
            {
                text.Append("; last good quote ").Append(Ago(now - success)).Append(" ago");
            }

            if (status != SourceStatus.Up && record.LastError is { } error)
            {
                text.Append("; ").Append(record.ConsecutiveFailures).Append(" failures in a row, last: ").Append(Shorten(error));
            }
        }

        var closeOnly = feed.CloseOnlyPairs;
        text.AppendLine().AppendLine();
        if (closeOnly.Count == 0)
        {
            text.Append("No pair is close-only.");
        }
        else
        {
            text.Append("Close-only (new positions paused, closing allowed):");
            foreach (var pair in closeOnly)
            {
                text.AppendLine().Append("⏸ ").Append(pair.Pair).Append(" since ").Append(Ago(now - pair.Since)).Append(" ago: ").Append(pair.Reason);
            }
        }

        text.AppendLine().AppendLine().Append("A quote counts when at most ").Append(Ago(settings.MaxQuoteAge)).Append(" old and within ")
            .Append((settings.MaxDeviationFraction * 100m).ToString("0.##", CultureInfo.InvariantCulture)).Append("% of the median.");
        await context.ReplyAsync(text.ToString(), cancellationToken);
        return UpdateOutcome.Ok;
    }

    private static string Ago(TimeSpan age) =>
        age < TimeSpan.Zero ? "0 s"
        : age.TotalSeconds < 120 ? age.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s"
        : age.TotalMinutes < 120 ? age.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min"
        : age.TotalHours.ToString("0", CultureInfo.InvariantCulture) + " h";

    // Error texts come from remote servers; keep the reply short.
    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
