using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace VantaBot.UnitTests.Telegram;

/// <summary>One request the fake handler saw, with its body already read.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string Body, string? ContentType);

/// <summary>Records requests and answers them from a script, one step per request (the last step repeats).</summary>
internal sealed class ScriptedHttpHandler : HttpMessageHandler
{
    private readonly List<Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>> _steps = [];
    private int _next;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public int RequestCount => Requests.Count;

    public ScriptedHttpHandler Then(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> step)
    {
        _steps.Add(step);
        return this;
    }

    public ScriptedHttpHandler ThenJson(HttpStatusCode status, string json) =>
        Then((_, _) => Task.FromResult(Json(status, json)));

    public ScriptedHttpHandler ThenOk(string resultJson) =>
        ThenJson(HttpStatusCode.OK, "{\"ok\":true,\"result\":" + resultJson + "}");

    public ScriptedHttpHandler ThenThrow(Exception exception) =>
        Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    /// <summary>Never answers: waits until the request is cancelled (timeout or caller).</summary>
    public ScriptedHttpHandler ThenHang() =>
        Then(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, body, request.Content?.Headers.ContentType?.MediaType);
        Requests.Enqueue(recorded);
        if (_steps.Count == 0)
        {
            throw new InvalidOperationException("No scripted response.");
        }

        var index = Math.Min(Interlocked.Increment(ref _next) - 1, _steps.Count - 1);
        return await _steps[index](recorded, cancellationToken);
    }
}

/// <summary>
/// A TimeProvider whose short timers fire at once (so retry delays cost nothing) and whose long timers never fire
/// (so per-call timeouts stay out of the way unless a test makes them short). Records every delay it fired.
/// </summary>
internal sealed class InstantTimeProvider(TimeSpan? fireUpTo = null) : TimeProvider
{
    private readonly TimeSpan _fireUpTo = fireUpTo ?? TimeSpan.FromSeconds(10);

    public ConcurrentQueue<TimeSpan> FiredDelays { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer();
        if (dueTime != Timeout.InfiniteTimeSpan && dueTime <= _fireUpTo)
        {
            FiredDelays.Enqueue(dueTime);
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (!timer.Disposed)
                {
                    callback(state);
                }
            });
        }

        return timer;
    }

    private sealed class FakeTimer : ITimer
    {
        public volatile bool Disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Captures formatted log lines (and exception text) so tests can check what reaches the logs.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>ILoggerProvider over one shared list, for checking what IHttpClientFactory's pipeline logs.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CategoryLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CategoryLogger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
    }
}
