using System.Diagnostics;
using System.Diagnostics.Metrics;
using VantaBot.Bench.Load;
using VantaBot.Bot.Pipeline;

namespace VantaBot.Bench.Emulator;

/// <summary>
/// The bot's own handler latency (<c>vantabot.handler.duration.seconds</c>, the histogram <c>/metrics</c> exports),
/// every measurement in full rather than bucketed, so the handler's p50/p99 sit next to the end-to-end ones. Records
/// into the phase given to <see cref="Record"/>; measurements between phases are dropped.
/// </summary>
internal sealed class HandlerLatencyListener : IDisposable
{
    private const string Instrument = "vantabot.handler.duration.seconds";

    private readonly MeterListener _listener = new();
    private PhaseRecorder? _current;
    private long _busyTicks;

    public HandlerLatencyListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == BotMetrics.MeterName && instrument.Name == Instrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>From now on, handler latencies go to <paramref name="recorder"/> (null: nowhere).</summary>
    public void Record(PhaseRecorder? recorder)
    {
        if (recorder is not null)
        {
            Interlocked.Exchange(ref _busyTicks, 0);
        }

        Volatile.Write(ref _current, recorder);
    }

    /// <summary>
    /// Handler time summed over the updates recorded since the last <see cref="Record"/>: the polling transport
    /// handles one update at a time, so this over the wall time says how busy its one loop was.
    /// </summary>
    public double TakeBusySeconds() => Interlocked.Read(ref _busyTicks) / (double)Stopwatch.Frequency;

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (Volatile.Read(ref _current) is not { } recorder)
        {
            return;
        }

        var command = "none";
        foreach (var tag in tags)
        {
            if (tag.Key == "command" && tag.Value is string value)
            {
                command = value;
            }
        }

        var ticks = (long)(seconds * Stopwatch.Frequency);
        Interlocked.Add(ref _busyTicks, ticks);
        recorder.Add(command, ticks, "handled");
    }
}
