using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Numerics;
using System.Text;

namespace VantaBot.Infrastructure.Metrics;

/// <summary>
/// Exports the instruments of selected <see cref="Meter"/>s in the Prometheus text exposition format 0.0.4.
/// Measurements are aggregated in memory as they happen (lock-free for tag sets already seen);
/// observable instruments are read when the exposition is rendered.
/// </summary>
/// <remarks>
/// Counter → <c>counter</c> (name suffixed <c>_total</c>); UpDownCounter → <c>gauge</c> (running sum);
/// Gauge → <c>gauge</c> (last value); Histogram → <c>histogram</c> (advice buckets, else
/// <see cref="DefaultHistogramBuckets"/>); ObservableCounter → <c>counter</c>; ObservableGauge and
/// ObservableUpDownCounter → <c>gauge</c>. Observable series that did not report in the latest
/// collection are not rendered.
/// </remarks>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Content type of the exposition produced by <see cref="Render"/>.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterListener _listener;
    private readonly HashSet<string> _meterNames = new(StringComparer.Ordinal);
    private readonly List<string> _meterPrefixes = [];
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly Lock _scrapeLock = new();
    private readonly int _maxSeries;
    private readonly object? _scope;
    private long _generation;
    private int _disposed;

    /// <summary>Creates the exporter and starts listening to the given meters.</summary>
    public PrometheusExporter(MetricsExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.MeterNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSeriesPerInstrument, 1);

        foreach (var name in options.MeterNames)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                continue;
            }

            if (name.EndsWith(".*", StringComparison.Ordinal))
            {
                _meterPrefixes.Add(name[..^2]);
            }
            else
            {
                _meterNames.Add(name);
            }
        }

        _maxSeries = options.MaxSeriesPerInstrument;
        _scope = options.Scope;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out var _),
        };
        _listener.SetMeasurementEventCallback<long>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<int>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<short>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<byte>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<double>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<float>((_, v, tags, state) => Record(state, v, tags));
        _listener.SetMeasurementEventCallback<decimal>((_, v, tags, state) => Record(state, (double)v, tags));
        _listener.Start();
    }

    /// <summary>Creates the exporter for the given meter names with default options.</summary>
    public PrometheusExporter(IEnumerable<string> meterNames)
        : this(new MetricsExportOptions { MeterNames = [.. meterNames ?? throw new ArgumentNullException(nameof(meterNames))] })
    {
    }

    /// <summary>Histogram buckets (in seconds) used when an instrument gives no bucket advice.</summary>
    public static IReadOnlyList<double> DefaultHistogramBuckets { get; } =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Invokes the callbacks of the observable instruments and stores the values they report.</summary>
    public void RecordObservableInstruments()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_scrapeLock)
        {
            CollectObservables();
        }
    }

    /// <summary>Collects the observable instruments and returns the whole exposition.</summary>
    public string Render()
    {
        var sb = new StringBuilder(4096);
        RenderTo(sb);
        return sb.ToString();
    }

    /// <summary>Collects the observable instruments and writes the whole exposition.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Render());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _listener.Dispose();
            _instruments.Clear();
        }
    }

    private void Record(object? state, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (state is InstrumentState instrument)
        {
            instrument.Record(value, tags, Volatile.Read(ref _generation));
        }
    }

    private void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (state is InstrumentState instrument)
        {
            instrument.Record(value, tags, Volatile.Read(ref _generation));
        }
    }

    private void CollectObservables()
    {
        Interlocked.Increment(ref _generation);
        _listener.RecordObservableInstruments();
    }

    private bool IsSelected(Meter meter)
    {
        if (_meterNames.Contains(meter.Name))
        {
            return true;
        }

        foreach (var prefix in _meterPrefixes)
        {
            if (meter.Name.StartsWith(prefix, StringComparison.Ordinal)
                && (meter.Name.Length == prefix.Length || meter.Name[prefix.Length] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!IsSelected(instrument.Meter) || (_scope is not null && !ReferenceEquals(instrument.Meter.Scope, _scope)) || Classify(instrument) is not var (aggregation, type, monotonic))
        {
            return;
        }

        var name = PrometheusText.SanitizeMetricName(instrument.Name);
        if (type == "counter" && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        var bounds = aggregation == Aggregation.Histogram ? HistogramBounds(instrument) : null;
        var state = new InstrumentState(instrument, name, type, aggregation, monotonic, bounds, _maxSeries);
        _instruments[instrument] = state;
        listener.EnableMeasurementEvents(instrument, state);
    }

    private static (Aggregation Aggregation, string Type, bool Monotonic)? Classify(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Counter<>))
        {
            return (Aggregation.Sum, "counter", true);
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return (Aggregation.Sum, "gauge", false);
        }

        if (definition == typeof(Histogram<>))
        {
            return (Aggregation.Histogram, "histogram", false);
        }

        if (definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>)
            || definition == typeof(ObservableUpDownCounter<>))
        {
            return (Aggregation.LastValue, "gauge", false);
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return (Aggregation.LastValue, "counter", false);
        }

        return null;
    }

    private static double[] HistogramBounds(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<float> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<long> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<int> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<short> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<byte> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<decimal> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            _ => null,
        };

        var bounds = advised ?? [.. DefaultHistogramBuckets];
        return [.. bounds.Where(double.IsFinite).Distinct().Order()];
    }

    private static double[]? ToDoubles<T>(IReadOnlyList<T>? values)
        where T : struct, INumberBase<T>
    {
        if (values is null)
        {
            return null;
        }

        var result = new double[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = double.CreateSaturating(values[i]);
        }

        return result;
    }

    private void RenderTo(StringBuilder sb)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_scrapeLock)
        {
            CollectObservables();
            var generation = Volatile.Read(ref _generation);
            var states = _instruments.Values
                .OrderBy(s => s.MetricName, StringComparer.Ordinal)
                .ThenBy(s => s.Instrument.Meter.Name, StringComparer.Ordinal)
                .ToArray();

            var i = 0;
            while (i < states.Length)
            {
                // One family per metric name; same-named instruments of other meters join it when the type agrees.
                var first = states[i];
                var seenLabels = new HashSet<string>(StringComparer.Ordinal);
                var body = new StringBuilder();
                for (; i < states.Length && states[i].MetricName == first.MetricName; i++)
                {
                    if (states[i].PrometheusType == first.PrometheusType)
                    {
                        AppendSeries(body, states[i], generation, seenLabels);
                    }
                }

                if (body.Length == 0)
                {
                    continue;
                }

                sb.Append("# HELP ").Append(first.MetricName).Append(' ').Append(first.Help).Append('\n');
                sb.Append("# TYPE ").Append(first.MetricName).Append(' ').Append(first.PrometheusType).Append('\n');
                sb.Append(body);
            }
        }
    }

    private static void AppendSeries(
        StringBuilder sb, InstrumentState state, long generation, HashSet<string> seenLabels)
    {
        foreach (var series in state.SnapshotSeries())
        {
            if (state.Aggregation == Aggregation.LastValue && state.Instrument.IsObservable
                && series.Generation != generation)
            {
                continue; // did not report in this collection.
            }

            if (!seenLabels.Add(series.Labels))
            {
                continue; // a same-named instrument of another meter already wrote this series.
            }

            switch (state.Aggregation)
            {
                case Aggregation.Sum:
                    var longSum = series.LongSum;
                    var doubleSum = series.DoubleSum;
                    AppendSample(sb, state.MetricName, string.Empty, series.Labels, null,
                        doubleSum == 0 ? PrometheusText.FormatLong(longSum) : PrometheusText.FormatDouble(longSum + doubleSum));
                    break;
                case Aggregation.LastValue:
                    AppendSample(sb, state.MetricName, string.Empty, series.Labels, null,
                        PrometheusText.FormatDouble(series.DoubleSum));
                    break;
                default:
                    AppendHistogram(sb, state.MetricName, series);
                    break;
            }
        }
    }

    private static void AppendHistogram(StringBuilder sb, string name, MetricSeries series)
    {
        var bounds = series.Bounds;
        Span<long> counts = bounds.Length < 128 ? stackalloc long[bounds.Length + 1] : new long[bounds.Length + 1];
        series.ReadBuckets(counts);
        var sum = series.DoubleSum;

        long cumulative = 0;
        for (var i = 0; i < bounds.Length; i++)
        {
            cumulative += counts[i];
            AppendSample(sb, name, "_bucket", series.Labels, PrometheusText.FormatDouble(bounds[i]),
                PrometheusText.FormatLong(cumulative));
        }

        cumulative += counts[bounds.Length];
        AppendSample(sb, name, "_bucket", series.Labels, "+Inf", PrometheusText.FormatLong(cumulative));
        AppendSample(sb, name, "_sum", series.Labels, null, PrometheusText.FormatDouble(sum));
        AppendSample(sb, name, "_count", series.Labels, null, PrometheusText.FormatLong(cumulative));
    }

    private static void AppendSample(StringBuilder sb, string name, string suffix, string labels, string? le, string value)
    {
        sb.Append(name).Append(suffix);
        if (labels.Length > 0 || le is not null)
        {
            sb.Append('{').Append(labels);
            if (le is not null)
            {
                if (labels.Length > 0)
                {
                    sb.Append(',');
                }

                sb.Append("le=\"").Append(le).Append('"');
            }

            sb.Append('}');
        }

        sb.Append(' ').Append(value).Append('\n');
    }
}
