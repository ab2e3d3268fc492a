using System.Diagnostics.Metrics;
using VantaBot.Infrastructure.Metrics;

namespace VantaBot.UnitTests.Metrics;

public sealed class PrometheusExporterTests
{
    private static string UniqueMeterName() => "VantaBot.Tests." + Guid.NewGuid().ToString("N");

    private static string[] Lines(string exposition) =>
        exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Content_type_is_the_0_0_4_text_format()
    {
        PrometheusExporter.ContentType.ShouldBe("text/plain; version=0.0.4; charset=utf-8");
    }

    [Fact]
    public void Counter_without_tags_is_rendered_with_help_type_and_total_suffix()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("vantabot.updates.received", description: "Telegram updates received");

        counter.Add(3);
        counter.Add(4);

        var lines = Lines(exporter.Render());
        lines.ShouldBe(
        [
            "# HELP vantabot_updates_received_total Telegram updates received",
            "# TYPE vantabot_updates_received_total counter",
            "vantabot_updates_received_total 7",
        ]);
    }

    [Fact]
    public void Counter_with_tags_gets_one_series_per_tag_set_regardless_of_tag_order()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<int>("commands-handled");

        counter.Add(1, new KeyValuePair<string, object?>("command", "buy"), new KeyValuePair<string, object?>("chat.type", "private"));
        counter.Add(2, new KeyValuePair<string, object?>("chat.type", "private"), new KeyValuePair<string, object?>("command", "buy"));
        counter.Add(5, new KeyValuePair<string, object?>("command", "sell"), new KeyValuePair<string, object?>("chat.type", "group"));
        counter.Add(1);

        var text = exporter.Render();

        text.ShouldContain("# TYPE commands_handled_total counter\n");
        text.ShouldContain("commands_handled_total{chat_type=\"private\",command=\"buy\"} 3\n");
        text.ShouldContain("commands_handled_total{chat_type=\"group\",command=\"sell\"} 5\n");
        text.ShouldContain("commands_handled_total 1\n");
        Lines(text).Count(l => l.StartsWith("commands_handled_total", StringComparison.Ordinal)).ShouldBe(3);
        Lines(text).Count(l => l.StartsWith("# TYPE", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public void Total_suffix_is_not_doubled_and_units_are_not_appended()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        meter.CreateCounter<long>("orders_total", unit: "{order}").Add(2);
        meter.CreateCounter<double>("fees.paid", unit: "USD").Add(1.5);

        var text = exporter.Render();

        text.ShouldContain("# TYPE orders_total counter\n");
        text.ShouldContain("orders_total 2\n");
        text.ShouldNotContain("orders_total_total");
        text.ShouldContain("fees_paid_total 1.5\n");
        text.ShouldNotContain("USD");
    }

    [Fact]
    public void Counter_ignores_negative_increments()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("c");

        counter.Add(5);
        counter.Add(-3);

        exporter.Render().ShouldContain("c_total 5\n");
    }

    [Fact]
    public void UpDownCounter_is_a_gauge_holding_the_running_sum()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var sessions = meter.CreateUpDownCounter<long>("sessions.active");

        sessions.Add(5);
        sessions.Add(-2);

        var text = exporter.Render();
        text.ShouldContain("# TYPE sessions_active gauge\n");
        text.ShouldContain("sessions_active 3\n");
    }

    [Fact]
    public void Histogram_uses_default_second_buckets_cumulatively_with_sum_count_and_inf()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var histogram = meter.CreateHistogram<double>("update.duration", unit: "s", description: "Update handling time");

        histogram.Record(0.003);
        histogram.Record(0.005); // le is inclusive
        histogram.Record(0.2);
        histogram.Record(42);

        var lines = Lines(exporter.Render());
        lines.ShouldBe(
        [
            "# HELP update_duration Update handling time",
            "# TYPE update_duration histogram",
            "update_duration_bucket{le=\"0.001\"} 0",
            "update_duration_bucket{le=\"0.0025\"} 0",
            "update_duration_bucket{le=\"0.005\"} 2",
            "update_duration_bucket{le=\"0.01\"} 2",
            "update_duration_bucket{le=\"0.025\"} 2",
            "update_duration_bucket{le=\"0.05\"} 2",
            "update_duration_bucket{le=\"0.1\"} 2",
            "update_duration_bucket{le=\"0.25\"} 3",
            "update_duration_bucket{le=\"0.5\"} 3",
            "update_duration_bucket{le=\"1\"} 3",
            "update_duration_bucket{le=\"2.5\"} 3",
            "update_duration_bucket{le=\"5\"} 3",
            "update_duration_bucket{le=\"10\"} 3",
            "update_duration_bucket{le=\"+Inf\"} 4",
            "update_duration_sum 42.208",
            "update_duration_count 4",
        ]);
    }

    [Fact]
    public void Histogram_honours_bucket_advice_and_puts_tags_before_le()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var histogram = meter.CreateHistogram<long>(
            "trade.size",
            unit: null,
            description: null,
            tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [10, 100, 1000] });

        var tag = new KeyValuePair<string, object?>("side", "buy");
        histogram.Record(5, tag);
        histogram.Record(50, tag);
        histogram.Record(500, tag);
        histogram.Record(5000, tag);
        histogram.Record(100, tag);

        var lines = Lines(exporter.Render());
        lines.ShouldBe(
        [
            "# HELP trade_size trade.size",
            "# TYPE trade_size histogram",
            "trade_size_bucket{side=\"buy\",le=\"10\"} 1",
            "trade_size_bucket{side=\"buy\",le=\"100\"} 3",
            "trade_size_bucket{side=\"buy\",le=\"1000\"} 4",
            "trade_size_bucket{side=\"buy\",le=\"+Inf\"} 5",
            "trade_size_sum{side=\"buy\"} 5655",
            "trade_size_count{side=\"buy\"} 5",
        ]);
    }

    [Fact]
    public void Observable_gauge_is_read_at_each_scrape()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var queueDepth = 7;
        meter.CreateObservableGauge("queue.depth", () => new Measurement<int>(queueDepth, new KeyValuePair<string, object?>("queue", "orders")));

        exporter.Render().ShouldContain("queue_depth{queue=\"orders\"} 7\n");

        queueDepth = 11;
        var text = exporter.Render();
        text.ShouldContain("# TYPE queue_depth gauge\n");
        text.ShouldContain("queue_depth{queue=\"orders\"} 11\n");
    }

    [Fact]
    public void Observable_counter_and_up_down_counter_report_their_current_values()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        meter.CreateObservableCounter("gc.collections", () => 12L);
        meter.CreateObservableUpDownCounter("connections", () => 2.5);

        var text = exporter.Render();

        text.ShouldContain("# TYPE gc_collections_total counter\n");
        text.ShouldContain("gc_collections_total 12\n");
        text.ShouldContain("# TYPE connections gauge\n");
        text.ShouldContain("connections 2.5\n");
    }

    [Fact]
    public void Observable_series_that_stop_reporting_disappear()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var report = true;
        meter.CreateObservableGauge("flaky", () => report ? [new Measurement<double>(1)] : Array.Empty<Measurement<double>>());

        exporter.Render().ShouldContain("flaky 1\n");
        report = false;
        exporter.Render().ShouldNotContain("flaky");
    }

    [Fact]
    public void Label_values_and_help_are_escaped()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("escapes", unit: null, description: "line one\nback\\slash");

        counter.Add(1, new KeyValuePair<string, object?>("user", "a\\b\"c\nd"), new KeyValuePair<string, object?>("bad-key", 3));

        var text = exporter.Render();
        text.ShouldContain("# HELP escapes_total line one\\nback\\\\slash\n");
        text.ShouldContain("escapes_total{bad_key=\"3\",user=\"a\\\\b\\\"c\\nd\"} 1\n");
    }

    [Fact]
    public void Numbers_use_invariant_digits_and_prometheus_spellings_of_infinities_and_nan()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var values = new Dictionary<string, double>
        {
            ["pos"] = double.PositiveInfinity,
            ["neg"] = double.NegativeInfinity,
            ["nan"] = double.NaN,
            ["frac"] = 1234.5,
            ["tiny"] = 1e-7,
        };
        meter.CreateObservableGauge("special", () => values.Select(kv => new Measurement<double>(kv.Value, new KeyValuePair<string, object?>("k", kv.Key))));

        var text = exporter.Render();

        text.ShouldContain("special{k=\"pos\"} +Inf\n");
        text.ShouldContain("special{k=\"neg\"} -Inf\n");
        text.ShouldContain("special{k=\"nan\"} NaN\n");
        text.ShouldContain("special{k=\"frac\"} 1234.5\n");
        text.ShouldContain("special{k=\"tiny\"} 1E-07\n");
    }

    [Fact]
    public void Recording_a_known_tag_set_does_not_allocate()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("hot");
        var histogram = meter.CreateHistogram<double>("hot.latency");
        var command = new KeyValuePair<string, object?>("command", "buy");
        var chat = new KeyValuePair<string, object?>("chat", "private");
        for (var i = 0; i < 100; i++)
        {
            counter.Add(1, command, chat); // warm up: resolves the series and JITs the path
            histogram.Record(0.02, command, chat);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            counter.Add(1, command, chat);
            histogram.Record(0.02, command, chat);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.ShouldBeLessThan(1024);
        exporter.Render().ShouldContain("hot_total{chat=\"private\",command=\"buy\"} 10100\n");
    }

    [Fact]
    public void Series_beyond_the_cap_fold_into_one_overflow_series()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter(new MetricsExportOptions { MeterNames = [meterName], MaxSeriesPerInstrument = 10 });
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("hostile");

        for (var i = 0; i < 1000; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("user", "u" + i));
        }

        counter.Add(1); // the untagged series is always kept

        var samples = Lines(exporter.Render()).Where(l => !l.StartsWith('#')).ToArray();
        samples.Length.ShouldBe(12);
        samples.ShouldContain("hostile_total{user=\"u0\"} 1");
        samples.ShouldContain("hostile_total{user=\"u9\"} 1");
        samples.ShouldNotContain(l => l.Contains("u10", StringComparison.Ordinal));
        samples.ShouldContain("hostile_total{overflow=\"true\"} 990");
        samples.ShouldContain("hostile_total 1");
    }

    [Fact]
    public void Default_series_cap_is_1000()
    {
        new MetricsExportOptions().MaxSeriesPerInstrument.ShouldBe(1000);
    }

    [Fact]
    public void Meters_not_in_the_list_are_ignored()
    {
        var meterName = UniqueMeterName();
        var otherName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        using var other = new Meter(otherName);
        meter.CreateCounter<long>("wanted").Add(1);
        other.CreateCounter<long>("unwanted").Add(1);
        other.CreateObservableGauge("unwanted.gauge", () => 1);

        var text = exporter.Render();

        text.ShouldContain("wanted_total 1\n");
        text.ShouldNotContain("unwanted");
    }

    [Fact]
    public void Wildcard_meter_name_selects_child_meters()
    {
        var root = UniqueMeterName();
        using var exporter = new PrometheusExporter([root + ".*"]);
        using var child = new Meter(root + ".Telegram");
        using var sibling = new Meter(root + "Other");
        child.CreateCounter<long>("child").Add(1);
        sibling.CreateCounter<long>("sibling").Add(1);

        var text = exporter.Render();

        text.ShouldContain("child_total 1\n");
        text.ShouldNotContain("sibling");
    }

    [Fact]
    public void Instruments_created_before_the_exporter_are_picked_up_and_disposed_meters_dropped()
    {
        var meterName = UniqueMeterName();
        var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("early");
        using var exporter = new PrometheusExporter([meterName]);

        counter.Add(2);
        exporter.Render().ShouldContain("early_total 2\n");

        meter.Dispose();
        exporter.Render().ShouldBeEmpty();
    }

    [Fact]
    public void Concurrent_recording_from_many_threads_sums_exactly()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("concurrent");
        var doubles = meter.CreateCounter<double>("concurrent.double");
        var histogram = meter.CreateHistogram<double>("concurrent.latency");
        const int threads = 8;
        const int perThread = 20_000;

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var tag = new KeyValuePair<string, object?>("shard", t % 2 == 0 ? "even" : "odd");
            for (var i = 0; i < perThread; i++)
            {
                counter.Add(1, tag);
                doubles.Add(0.5);
                histogram.Record(0.01, tag);
                if (i % 5000 == 0)
                {
                    _ = exporter.Render(); // scrapes while recording must not disturb the totals
                }
            }
        });

        var text = exporter.Render();
        const int half = threads / 2 * perThread;
        text.ShouldContain($"concurrent_total{{shard=\"even\"}} {half}\n");
        text.ShouldContain($"concurrent_total{{shard=\"odd\"}} {half}\n");
        text.ShouldContain($"concurrent_double_total {threads * perThread / 2}\n");
        text.ShouldContain($"concurrent_latency_count{{shard=\"even\"}} {half}\n");
        text.ShouldContain($"concurrent_latency_bucket{{shard=\"odd\",le=\"0.01\"}} {half}\n");
        text.ShouldContain($"concurrent_latency_bucket{{shard=\"odd\",le=\"0.005\"}} 0\n");
    }

    [Fact]
    public void WriteTo_writes_the_same_exposition_as_Render()
    {
        var meterName = UniqueMeterName();
        using var exporter = new PrometheusExporter([meterName]);
        using var meter = new Meter(meterName);
        meter.CreateCounter<long>("written").Add(9);

        using var writer = new StringWriter();
        exporter.WriteTo(writer);

        writer.ToString().ShouldBe(exporter.Render());
        writer.ToString().ShouldEndWith("written_total 9\n");
    }

    [Fact]
    public void Render_after_dispose_throws()
    {
        var exporter = new PrometheusExporter([UniqueMeterName()]);
        exporter.Dispose();

        Should.Throw<ObjectDisposedException>(() => exporter.Render());
    }
}
