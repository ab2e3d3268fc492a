namespace VantaBot.Infrastructure.Metrics;

/// <summary>How measurements of an instrument are folded into a series.</summary>
internal enum Aggregation
{
    /// <summary>Running sum (Counter, UpDownCounter).</summary>
    Sum,

    /// <summary>Last reported value (Gauge and the observable instruments).</summary>
    LastValue,

    /// <summary>Bucketed distribution with sum and count (Histogram).</summary>
    Histogram,
}

/// <summary>One time series: the aggregate of one distinct tag set of one instrument. Lock-free.</summary>
internal sealed class MetricSeries
{
    private readonly double[]? _bounds;
    private readonly long[]? _buckets; // per bucket, not cumulative; the last slot is +Inf.
    private long _longSum;
    private double _doubleSum;
    private long _generation;

    public MetricSeries(string labels, double[]? histogramBounds)
    {
        Labels = labels;
        if (histogramBounds is not null)
        {
            _bounds = histogramBounds;
            _buckets = new long[histogramBounds.Length + 1];
        }
    }

    /// <summary>Rendered label pairs without braces, e.g. <c>a="1",b="2"</c>; empty when untagged.</summary>
    public string Labels { get; }

    /// <summary>Collection round in which a last-value series was last set.</summary>
    public long Generation => Volatile.Read(ref _generation);

    public void Add(long value) => Interlocked.Add(ref _longSum, value);

    public void Add(double value) => AddDouble(ref _doubleSum, value);

    public void Set(double value, long generation)
    {
        Interlocked.Exchange(ref _doubleSum, value);
        Volatile.Write(ref _generation, generation);
    }

    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        var bounds = _bounds!;
        var index = Array.BinarySearch(bounds, value);
        if (index < 0)
        {
            index = ~index; // first bound greater than the value (le is inclusive: exact hits keep their index).
        }

        Interlocked.Increment(ref _buckets![index]);
        AddDouble(ref _doubleSum, value);
    }

    public long LongSum => Interlocked.Read(ref _longSum);

    public double DoubleSum => Volatile.Read(ref _doubleSum);

    public ReadOnlySpan<double> Bounds => _bounds;

    /// <summary>Copies the per-bucket counts (not cumulative, last slot +Inf) into <paramref name="destination"/>.</summary>
    public void ReadBuckets(Span<long> destination)
    {
        var buckets = _buckets!;
        for (var i = 0; i < buckets.Length; i++)
        {
            destination[i] = Interlocked.Read(ref buckets[i]);
        }
    }

    private static void AddDouble(ref double location, double value)
    {
        var current = Volatile.Read(ref location);
        while (true)
        {
            var observed = Interlocked.CompareExchange(ref location, current + value, current);
            if (BitConverter.DoubleToInt64Bits(observed) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            current = observed;
        }
    }
}
