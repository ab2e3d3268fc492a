using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.Bot.Commands;

/// <summary>Renders a price reading for /price and its Refresh button, always naming source, age and staleness.</summary>
public sealed class PriceFormatter(IOptions<PriceFeedOptions> options)
{
    public const string RefreshPrefix = "price";

    public string Format(PriceReading reading)
    {
        var quote = reading.Quote;
        var text = new StringBuilder();
        text.Append(quote.Pair).Append(": ").Append(Money.Price(quote.Price)).AppendLine(" USD");
        text.Append(reading.Sources.Count == 1 ? "Source: " : "Sources: ").Append(string.Join(", ", reading.Sources));
        if (quote.IsSimulated)
        {
            text.Append(" (SIMULATED — a random walk for DRY mode, not a market price)");
        }

        text.AppendLine();
        text.Append("Age: ").Append(FormatAge(reading.Age)).AppendLine();
        text.Append("Confidence: ").Append((reading.Confidence * 100m).ToString("0", CultureInfo.InvariantCulture)).Append("% (")
            .Append(reading.IsStale ? 0 : reading.Sources.Count).Append(" of ").Append(reading.ConfiguredSources)
            .Append(reading.ConfiguredSources == 1 ? " source agrees)" : " sources agree)");
        if (reading.IsStale)
        {
            text.AppendLine().Append("⚠️ STALE: ");
            if (reading.StaleReason is { } reason)
            {
                text.Append(reason).Append("; ");
            }

            text.Append("no agreed price within ").Append(FormatAge(options.Value.MaxQuoteAge))
                .Append("; it is not used for new orders. ").Append(quote.Pair).Append(" is close-only until fresh prices return (closing stays open).");
        }

        return text.ToString();
    }

    public static TelegramInlineKeyboardMarkup RefreshButton(Pair pair) => new()
    {
        InlineKeyboard = [[new TelegramInlineKeyboardButton { Text = "🔄 Refresh", CallbackData = $"{RefreshPrefix}:{pair.Base}" }]],
    };

    private static string FormatAge(TimeSpan age) =>
        age.TotalSeconds < 60
            ? age.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : age.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min";
}
