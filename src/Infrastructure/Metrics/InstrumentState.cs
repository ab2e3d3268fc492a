using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace VantaBot.Infrastructure.Metrics;

/// <summary>
/// Everything the exporter keeps about one instrument: its Prometheus identity and its series.
/// The hot path (<see cref="GetSeries"/> for a tag set seen before) takes no lock and allocates nothing:
/// the raw tag list is hashed and compared in place against the tag lists already resolved.
/// </summary>
internal sealed class InstrumentState
{
    internal const string OverflowLabels = "overflow=\"true\"";

    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<int, TagNode> _nodes = new();
    private readonly Dictionary<string, MetricSeries> _byLabels = new(StringComparer.Ordinal);
    private readonly List<MetricSeries> _series = [];
    private readonly int _maxSeries;
    private readonly int _maxNodes;
    private MetricSeries? _untagged;
    private MetricSeries? _overflow;
    private int _taggedSeriesCount;
    private int _nodeCount;

    public InstrumentState(
        Instrument instrument,
        string metricName,
        string prometheusType,
        Aggregation aggregation,
        bool monotonic,
        double[]? histogramBounds,
        int maxSeries)
    {
        Instrument = instrument;
        MetricName = metricName;
        PrometheusType = prometheusType;
        Aggregation = aggregation;
        Monotonic = monotonic;
        HistogramBounds = histogramBounds;
        Help = PrometheusText.EscapeHelp(
            string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description);
        _maxSeries = Math.Max(1, maxSeries);
        _maxNodes = (2 * _maxSeries) + 16; // aliases: the same tag set seen in another order or with other boxed types.
    }

    public Instrument Instrument { get; }

    public string MetricName { get; }

    public string PrometheusType { get; }

    public string Help { get; }

    public Aggregation Aggregation { get; }

    public bool Monotonic { get; }

    public double[]? HistogramBounds { get; }

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, long generation)
    {
        switch (Aggregation)
        {
            case Aggregation.Sum:
                if (Monotonic && value < 0)
                {
                    return; // a Prometheus counter never goes down.
                }

                GetSeries(tags).Add(value);
                break;
            case Aggregation.LastValue:
                GetSeries(tags).Set(value, generation);
                break;
            default:
                GetSeries(tags).Observe(value);
                break;
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, long generation)
    {
        switch (Aggregation)
        {
            case Aggregation.Sum:
                if (Monotonic && !(value >= 0))
                {
                    return; // negative or NaN increments would break counter semantics.
                }

                GetSeries(tags).Add(value);
                break;
            case Aggregation.LastValue:
                GetSeries(tags).Set(value, generation);
                break;
            default:
                GetSeries(tags).Observe(value);
                break;
        }
    }

    public MetricSeries[] SnapshotSeries()
    {
        lock (_lock)
        {
            return [.. _series];
        }
    }

    internal MetricSeries GetSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return Volatile.Read(ref _untagged) ?? GetSeriesSlow(tags, 0);
        }

        var hash = Hash(tags);
        if (_nodes.TryGetValue(hash, out var node))
        {
            for (; node is not null; node = Volatile.Read(ref node.Next))
            {
                if (node.Matches(tags))
                {
                    return node.Series;
                }
            }
        }

        return GetSeriesSlow(tags, hash);
    }

    private MetricSeries GetSeriesSlow(ReadOnlySpan<KeyValuePair<string, object?>> tags, int hash)
    {
        var labels = CanonicalLabels(tags);
        lock (_lock)
        {
            if (!_byLabels.TryGetValue(labels, out var series))
            {
                if (tags.Length > 0 && _taggedSeriesCount >= _maxSeries)
                {
                    series = _overflow ??= AddSeries(OverflowLabels);
                }
                else
                {
                    series = AddSeries(labels);
                    if (tags.Length > 0)
                    {
                        _taggedSeriesCount++;
                    }
                }
            }

            if (tags.Length == 0)
            {
                Volatile.Write(ref _untagged, series);
            }
            else if (_nodeCount < _maxNodes)
            {
                AddNode(hash, new TagNode(tags.ToArray(), series));
            }

            return series;
        }
    }

    private MetricSeries AddSeries(string labels)
    {
        if (_byLabels.TryGetValue(labels, out var existing))
        {
            return existing; // e.g. a caller-supplied overflow="true" tag set.
        }

        var series = new MetricSeries(labels, HistogramBounds);
        _byLabels.Add(labels, series);
        _series.Add(series);
        return series;
    }

    private void AddNode(int hash, TagNode node)
    {
        _nodeCount++;
        if (!_nodes.TryGetValue(hash, out var tail))
        {
            _nodes[hash] = node;
            return;
        }

        while (tail.Next is { } next)
        {
            tail = next;
        }

        Volatile.Write(ref tail.Next, node);
    }

    private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = 0;
        foreach (var tag in tags)
        {
            hash += HashCode.Combine(tag.Key, tag.Value); // a sum: the same tags in another order land together.
        }

        return hash;
    }

    /// <summary>Labels sorted by key (ordinal, stable: the last of duplicate keys wins), escaped, comma-joined.</summary>
    private string CanonicalLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var sorted = tags.ToArray();
        for (var i = 1; i < sorted.Length; i++) // insertion sort: stable, and tag lists are short.
        {
            var item = sorted[i];
            var j = i - 1;
            while (j >= 0 && string.CompareOrdinal(sorted[j].Key, item.Key) > 0)
            {
                sorted[j + 1] = sorted[j];
                j--;
            }

            sorted[j + 1] = item;
        }

        var sb = new StringBuilder();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i + 1 < sorted.Length && string.Equals(sorted[i].Key, sorted[i + 1].Key, StringComparison.Ordinal))
            {
                continue;
            }

            var name = PrometheusText.SanitizeLabelName(sorted[i].Key);
            if (Aggregation == Aggregation.Histogram && name == "le")
            {
                name = "exported_le"; // "le" is the bucket label.
            }

            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(name).Append("=\"");
            PrometheusText.AppendLabelValue(sb, PrometheusText.TagValueToString(sorted[i].Value));
            sb.Append('"');
        }

        return sb.ToString();
    }

    /// <summary>A raw tag list, in the order the caller gave it, resolved to its series.</summary>
    private sealed class TagNode(KeyValuePair<string, object?>[] tags, MetricSeries series)
    {
        public TagNode? Next;

        public MetricSeries Series { get; } = series;

        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> other)
        {
            if (other.Length != tags.Length)
            {
                return false;
            }

            for (var i = 0; i < tags.Length; i++)
            {
                if (!string.Equals(tags[i].Key, other[i].Key, StringComparison.Ordinal)
                    || !Equals(tags[i].Value, other[i].Value))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
