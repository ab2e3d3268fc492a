using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Outbound;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Telegram.Api;
using VantaBot.UnitTests.Telegram;

namespace VantaBot.UnitTests.Limits;

/// <summary>The outbound queue over our real Bot API client, with a fake of our own HTTP handler as Telegram.</summary>
public sealed class OutboundQueueTests : IAsyncLifetime
{
    private readonly ServiceProvider _metricsProvider = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ScriptedHttpHandler _telegram = new();
    private readonly ConcurrentQueue<(long Chat, string Text, long At)> _arrivals = new();
    private readonly RecordingAcknowledger _acks = new();
    private readonly OutboundOptions _options = new()
    {
        PerChatInterval = TimeSpan.FromMilliseconds(300),
        BaseBackoff = TimeSpan.FromMilliseconds(100),
        MaxAttempts = 3,
        MaxConcurrentSends = 1,
        DrainTimeout = TimeSpan.FromSeconds(1),
    };

    private OutboundQueue? _queue;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_queue is not null)
        {
            await _queue.StopAsync(CancellationToken.None);
            _queue.Dispose();
        }

        _metricsProvider.Dispose();
    }

    [Fact]
    public async Task A_429_makes_that_chat_wait_retry_after_while_other_chats_are_served()
    {
        _telegram
            .Then(Record((_, _) => Json(HttpStatusCode.TooManyRequests, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}""")))
            .Then(Record(Sent));
        var queue = await StartAsync();

        var first = queue.Enqueue(Message(5, "trade filled"));
        var other = queue.Enqueue(Message(6, "price"));
        (await first.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        (await other.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();

        var arrivals = _arrivals.ToArray();
        arrivals.Select(a => (a.Chat, a.Text)).ShouldBe([(5, "trade filled"), (6, "price"), (5, "trade filled")]);
        Stopwatch.GetElapsedTime(arrivals[0].At, arrivals[2].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        Stopwatch.GetElapsedTime(arrivals[0].At, arrivals[1].At).ShouldBeLessThan(TimeSpan.FromSeconds(1), "chat 6 did not wait for chat 5's retry_after");
        queue.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task Server_errors_and_network_failures_are_retried_with_backoff_and_delivered_once()
    {
        _telegram
            .Then(Record((_, _) => Json(HttpStatusCode.BadGateway, """{"ok":false,"error_code":502,"description":"Bad Gateway"}""")))
            .Then(Record((_, _) => throw new HttpRequestException("connection reset")))
            .Then(Record(Sent));
        var queue = await StartAsync();

        (await queue.Enqueue(Message(5, "hello")).WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        var arrivals = _arrivals.ToArray();
        arrivals.Length.ShouldBe(3);
        Stopwatch.GetElapsedTime(arrivals[0].At, arrivals[1].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300), "the chat's spacing is the floor of a short backoff");
        Stopwatch.GetElapsedTime(arrivals[1].At, arrivals[2].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_permanent_refusal_is_dropped_after_one_attempt_and_attempts_are_bounded()
    {
        _telegram.Then(Record((_, _) => Json(HttpStatusCode.Forbidden, """{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}""")));
        var queue = await StartAsync();
        (await queue.Enqueue(Message(5, "blocked")).WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeFalse();
        _arrivals.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Transient_failures_stop_after_the_configured_attempts()
    {
        _telegram.Then(Record((_, _) => Json(HttpStatusCode.InternalServerError, """{"ok":false,"error_code":500,"description":"Internal"}""")));
        var queue = await StartAsync();
        (await queue.Enqueue(Message(5, "doomed")).WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeFalse();
        _arrivals.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Chats_with_a_priority_message_go_first_and_each_chat_keeps_its_order_and_spacing()
    {
        _telegram.Then(Record(Sent));
        var queue = Create();
        var tasks = new List<Task<bool>>
        {
            queue.Enqueue(Message(1, "a1")),
            queue.Enqueue(Message(2, "b1")),
            queue.Enqueue(Message(1, "a2")),
            queue.Enqueue(Message(3, "c1 trade outcome"), OutboundPriority.High),
            queue.Enqueue(Message(1, "a3")),
        };
        await queue.StartAsync(CancellationToken.None);
        (await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10))).ShouldAllBe(delivered => delivered);

        var arrivals = _arrivals.ToArray();
        arrivals[0].Text.ShouldBe("c1 trade outcome");
        arrivals.Where(a => a.Chat == 1).Select(a => a.Text).ShouldBe(["a1", "a2", "a3"]);
        var chat1 = arrivals.Where(a => a.Chat == 1).Select(a => a.At).ToArray();
        for (var i = 1; i < chat1.Length; i++)
        {
            Stopwatch.GetElapsedTime(chat1[i - 1], chat1[i]).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300));
        }
    }

    [Fact]
    public async Task A_message_with_an_outbox_key_is_sent_once_and_acknowledged()
    {
        _telegram.Then(Record(Sent));
        var queue = Create();
        var handlerReply = queue.Enqueue(Message(5, "✅ Opened LONG (handler's text)"), OutboundPriority.High, "trade:5:update:1");
        var relayed = queue.Enqueue(Message(5, "✅ Opened LONG (outbox text)"), OutboundPriority.High, "trade:5:update:1");
        await queue.StartAsync(CancellationToken.None);

        (await handlerReply.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        (await relayed.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        _arrivals.Select(a => a.Text).ShouldBe(["✅ Opened LONG (handler's text)"]);
        _acks.Keys.ShouldBe(["trade:5:update:1"]);
    }

    [Fact]
    public async Task A_flooded_chat_drops_normal_messages_past_its_backlog_but_never_priority_ones()
    {
        _options.MaxQueuedPerChat = 2;
        _telegram.Then(Record(Sent));
        var queue = Create();
        var kept = new[] { queue.Enqueue(Message(5, "1")), queue.Enqueue(Message(5, "2")) };
        (await queue.Enqueue(Message(5, "3"))).ShouldBeFalse();
        var priority = queue.Enqueue(Message(5, "alert"), OutboundPriority.High);
        await queue.StartAsync(CancellationToken.None);
        (await Task.WhenAll([.. kept, priority]).WaitAsync(TimeSpan.FromSeconds(10))).ShouldAllBe(delivered => delivered);
        _arrivals.Select(a => a.Text).ShouldBe(["1", "2", "alert"]);
    }

    [Fact]
    public async Task Callback_answers_are_not_held_behind_a_chats_spacing()
    {
        _telegram.Then(Record(Sent));
        var queue = Create();
        var messages = new[] { queue.Enqueue(Message(5, "1")), queue.Enqueue(Message(5, "2")) };
        var answer = queue.Enqueue(new OutboundRequest.AnswerCallback("cq1", "Opened"), OutboundPriority.High);
        await queue.StartAsync(CancellationToken.None);
        (await Task.WhenAll([.. messages, answer]).WaitAsync(TimeSpan.FromSeconds(10))).ShouldAllBe(delivered => delivered);
        _arrivals.First().Text.ShouldBe("cq1");
    }

    private async Task<OutboundQueue> StartAsync()
    {
        var queue = Create();
        await queue.StartAsync(CancellationToken.None);
        return queue;
    }

    private OutboundQueue Create()
    {
        var client = new TelegramBotApiClient(
            new HttpClient(_telegram),
            Options.Create(new TelegramOptions { BotToken = "123456:" + new string('a', 30), ApiBaseUrl = new Uri("http://telegram.invalid"), MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(5) }),
            TimeProvider.System,
            NullLogger<TelegramBotApiClient>.Instance);
        _queue = new OutboundQueue(
            new TelegramOutboundSender(client), _acks, Options.Create(_options), TimeProvider.System,
            new OutboundMetrics(_metricsProvider.GetRequiredService<IMeterFactory>()), NullLogger<OutboundQueue>.Instance);
        return _queue;
    }

    private static OutboundRequest Message(long chat, string text) => new OutboundRequest.SendMessage(chat, text, null);

    private Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> Record(Func<RecordedRequest, JsonElement, HttpResponseMessage> respond) =>
        (request, _) =>
        {
            using var body = JsonDocument.Parse(request.Body);
            var root = body.RootElement;
            var chat = root.TryGetProperty("chat_id", out var c) ? c.GetInt64() : 0;
            var text = root.TryGetProperty("callback_query_id", out var query) ? query.GetString()! : root.GetProperty("text").GetString()!;
            _arrivals.Enqueue((chat, text, Stopwatch.GetTimestamp()));
            return Task.FromResult(respond(request, root));
        };

    private static HttpResponseMessage Sent(RecordedRequest request, JsonElement body) =>
        Json(HttpStatusCode.OK, body.TryGetProperty("chat_id", out var chat)
            ? "{\"ok\":true,\"result\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":" + chat.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"type\":\"private\"}}}"
            : """{"ok":true,"result":true}""");

    private static HttpResponseMessage Json(HttpStatusCode status, string json) => ScriptedHttpHandler.Json(status, json);

    private sealed class RecordingAcknowledger : IOutboxAcknowledger
    {
        public ConcurrentQueue<string> Keys { get; } = new();

        public Task AcknowledgeAsync(string outboxKey, CancellationToken cancellationToken)
        {
            Keys.Enqueue(outboxKey);
            return Task.CompletedTask;
        }
    }
}
