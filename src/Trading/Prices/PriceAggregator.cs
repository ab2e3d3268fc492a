using System.Globalization;
using VantaBot.Trading.Markets;

namespace VantaBot.Trading.Prices;

/// <summary>A quote left out of the price, and why (logged by the feed).</summary>
public sealed record RejectedQuote(PriceQuote Quote, string Reason);

/// <summary>
/// The aggregator's verdict for one pair: the agreed price (null when none can be agreed), the quotes it rests
/// on, the quotes dropped, and for a missing price the reason in words a trader can read.
/// </summary>
public sealed record PriceAggregate(PriceQuote? Consensus, IReadOnlyList<PriceQuote> Agreeing, IReadOnlyList<RejectedQuote> Rejected, string? NoPriceReason);

/// <summary>
/// Turns the latest quote of each source into one price, or refuses to. The rules, in order:
/// <list type="number">
/// <item>Quotes of zero or below are absurd and dropped (sources already drop non-numeric, NaN and infinite values).</item>
/// <item>Quotes older than <see cref="PriceFeedOptions.MaxQuoteAge"/> are stale and dropped.</item>
/// <item>Fresh quotes further than <see cref="PriceFeedOptions.MaxDeviationFraction"/> from the median of the fresh
/// quotes are outliers and dropped.</item>
/// <item>Split vote: the agreeing quotes must be a strict majority of the fresh ones (2 of 2, 2 of 3, 3 of 4…);
/// otherwise nobody can tell which side is right and there is no price.</item>
/// <item>A lone agreeing quote (only one source fresh, or only one configured) must lie within
/// <see cref="PriceFeedOptions.MaxJumpFraction"/> of the last agreed price when that is at most a minute old:
/// a single broken feed cannot move the price by 1000x on its own word.</item>
/// </list>
/// The agreed price is the median of the agreeing quotes, dated by the oldest of them (the conservative age).
/// </summary>
public sealed class PriceAggregator(PriceFeedOptions options)
{
    /// <summary>How long an agreed price serves as the reference for the lone-quote jump check.</summary>
    public static readonly TimeSpan JumpReferenceWindow = TimeSpan.FromMinutes(1);

    public PriceAggregate Aggregate(Pair pair, IReadOnlyList<PriceQuote> latest, DateTimeOffset now, PriceQuote? lastConsensus)
    {
        var rejected = new List<RejectedQuote>();
        var fresh = new List<PriceQuote>();
        foreach (var quote in latest)
        {
            if (quote.Price <= 0)
            {
                rejected.Add(new RejectedQuote(quote, $"absurd price {Format(quote.Price)}"));
            }
            else if (now - quote.PublishedAt > options.MaxQuoteAge)
            {
                rejected.Add(new RejectedQuote(quote, $"stale ({(now - quote.PublishedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s old)"));
            }
            else
            {
                fresh.Add(quote);
            }
        }

        if (fresh.Count == 0)
        {
            return new PriceAggregate(null, [], rejected, latest.Count == 0 ? "no source answered" : "no source has a fresh quote");
        }

        var median = Median(fresh.Select(q => q.Price));
        var agreeing = new List<PriceQuote>();
        foreach (var quote in fresh)
        {
            var deviation = Math.Abs(quote.Price - median) / median;
            if (deviation <= options.MaxDeviationFraction)
            {
                agreeing.Add(quote);
            }
            else
            {
                rejected.Add(new RejectedQuote(quote, $"outlier: {Percent(deviation)} from the median {Format(median)}"));
            }
        }

        if (agreeing.Count * 2 <= fresh.Count)
        {
            return new PriceAggregate(null, [], rejected, $"sources disagree: only {agreeing.Count} of {fresh.Count} fresh quotes lie within {Percent(options.MaxDeviationFraction)} of their median");
        }

        if (agreeing.Count == 1 && lastConsensus is not null && now - lastConsensus.PublishedAt <= JumpReferenceWindow)
        {
            var lone = agreeing[0];
            var jump = Math.Abs(lone.Price - lastConsensus.Price) / lastConsensus.Price;
            if (jump > options.MaxJumpFraction)
            {
                rejected.Add(new RejectedQuote(lone, $"unconfirmed jump of {Percent(jump)} from the last agreed {Format(lastConsensus.Price)}"));
                return new PriceAggregate(null, [], rejected, $"{lone.Source} alone reports a {Percent(jump)} jump and no other source confirms it");
            }
        }

        var consensus = new PriceQuote(
            pair,
            Median(agreeing.Select(q => q.Price)),
            string.Join('+', agreeing.Select(q => q.Source).Order(StringComparer.Ordinal)),
            agreeing.Min(q => q.PublishedAt),
            agreeing.Any(q => q.IsSimulated));
        return new PriceAggregate(consensus, agreeing, rejected, null);
    }

    public static decimal Median(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("The median of nothing is undefined.", nameof(values));
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2m;
    }

    private static string Percent(decimal fraction) => (fraction * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Format(decimal price) => price.ToString("0.########", CultureInfo.InvariantCulture);
}
