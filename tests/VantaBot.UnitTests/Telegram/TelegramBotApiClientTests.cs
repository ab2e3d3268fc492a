using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Telegram.Api;

namespace VantaBot.UnitTests.Telegram;

public sealed class TelegramBotApiClientTests
{
    private const string Token = "123456:AAH-secret_TOKEN-value";

    private readonly ScriptedHttpHandler _handler = new();
    private readonly InstantTimeProvider _time = new();
    private readonly ListLogger<TelegramBotApiClient> _logger = new();
    private readonly TelegramOptions _options = new()
    {
        BotToken = Token,
        ApiBaseUrl = new Uri("http://telegram.test"),
        RequestTimeout = TimeSpan.FromSeconds(30),
        MaxRetries = 3,
        MaxRetryAfter = TimeSpan.FromSeconds(5),
    };

    private TelegramBotApiClient CreateClient() =>
        new(new HttpClient(_handler) { Timeout = Timeout.InfiniteTimeSpan }, Options.Create(_options), _time, _logger);

    private static CancellationToken Ct => CancellationToken.None;

    private static JsonElement Body(RecordedRequest request) => JsonDocument.Parse(request.Body).RootElement;

    private RecordedRequest SingleRequest()
    {
        _handler.Requests.Count.ShouldBe(1);
        return _handler.Requests.Single();
    }

    // ---- request shape ----

    [Fact]
    public async Task Posts_json_to_bot_token_method_path()
    {
        _handler.ThenOk("""{"id":1,"is_bot":true,"first_name":"B"}""");

        await CreateClient().GetMeAsync(Ct);

        var request = SingleRequest();
        request.Method.ShouldBe(HttpMethod.Post);
        request.Uri.AbsoluteUri.ShouldBe($"http://telegram.test/bot{Token}/getMe");
        request.ContentType.ShouldBe("application/json");
    }

    [Theory]
    [InlineData("http://telegram.test/", "http://telegram.test/bot{0}/getMe")]
    [InlineData("http://telegram.test/tg", "http://telegram.test/tg/bot{0}/getMe")]
    [InlineData("http://telegram.test/tg/", "http://telegram.test/tg/bot{0}/getMe")]
    [InlineData("http://127.0.0.1:9000", "http://127.0.0.1:9000/bot{0}/getMe")]
    public void Method_uri_keeps_the_base_path(string baseUrl, string expected)
    {
        TelegramBotApiClient.BuildMethodUri(new Uri(baseUrl), Token, "getMe").AbsoluteUri
            .ShouldBe(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, Token));
    }

    [Fact]
    public async Task SendMessage_body_is_snake_case_and_omits_nulls()
    {
        _handler.ThenOk("""{"message_id":7,"chat":{"id":42,"type":"private"},"date":1700000000,"text":"hi"}""");
        var keyboard = new TelegramInlineKeyboardMarkup
        {
            InlineKeyboard = [[new TelegramInlineKeyboardButton { Text = "Buy", CallbackData = "buy:1" }]],
        };

        var sent = await CreateClient().SendMessageAsync(42, "hi", new TelegramSendOptions { ReplyMarkup = keyboard, ParseMode = "HTML" }, Ct);

        sent.ShouldNotBeNull();
        sent.MessageId.ShouldBe(7);
        sent.Date.ShouldBe(1700000000);
        var body = Body(SingleRequest());
        body.GetProperty("chat_id").GetInt64().ShouldBe(42);
        body.GetProperty("text").GetString().ShouldBe("hi");
        body.GetProperty("parse_mode").GetString().ShouldBe("HTML");
        var button = body.GetProperty("reply_markup").GetProperty("inline_keyboard")[0][0];
        button.GetProperty("text").GetString().ShouldBe("Buy");
        button.GetProperty("callback_data").GetString().ShouldBe("buy:1");
    }

    [Fact]
    public async Task SendMessage_without_options_sends_no_parse_mode_or_markup()
    {
        _handler.ThenOk("""{"message_id":1,"chat":{"id":5}}""");

        await CreateClient().SendMessageAsync(5, "plain", null, Ct);

        var body = Body(SingleRequest());
        body.TryGetProperty("parse_mode", out _).ShouldBeFalse();
        body.TryGetProperty("reply_markup", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task GetUpdates_sends_offset_limit_timeout_and_allowed_updates()
    {
        _handler.ThenOk("[]");

        var updates = await CreateClient().GetUpdatesAsync(101, 50, 25, Ct);

        updates.ShouldBeEmpty();
        var body = Body(SingleRequest());
        body.GetProperty("offset").GetInt64().ShouldBe(101);
        body.GetProperty("limit").GetInt32().ShouldBe(50);
        body.GetProperty("timeout").GetInt32().ShouldBe(25);
        body.GetProperty("allowed_updates").EnumerateArray().Select(e => e.GetString())
            .ShouldBe(["message", "edited_message", "callback_query"]);
    }

    [Fact]
    public async Task GetUpdates_without_offset_omits_it()
    {
        _handler.ThenOk("[]");

        await CreateClient().GetUpdatesAsync(null, 100, 0, Ct);

        Body(SingleRequest()).TryGetProperty("offset", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task EditMessageText_AnswerCallback_SetMyCommands_SetWebhook_DeleteWebhook_send_expected_bodies()
    {
        _handler.ThenOk("true");
        var client = CreateClient();

        await client.EditMessageTextAsync(42, 9, "edited", new TelegramSendOptions { ParseMode = "MarkdownV2" }, Ct);
        await client.AnswerCallbackQueryAsync("cb-1", "done", showAlert: false, Ct);
        await client.SetMyCommandsAsync([new TelegramBotCommand("start", "Start the bot")], Ct);
        await client.SetWebhookAsync(new Uri("https://bot.example/telegram/webhook"), "s3cret_-", Ct);
        await client.DeleteWebhookAsync(dropPendingUpdates: true, Ct);

        var requests = _handler.Requests.ToArray();
        requests.Select(r => r.Uri.Segments[^1]).ShouldBe(["editMessageText", "answerCallbackQuery", "setMyCommands", "setWebhook", "deleteWebhook"]);

        var edit = Body(requests[0]);
        edit.GetProperty("chat_id").GetInt64().ShouldBe(42);
        edit.GetProperty("message_id").GetInt64().ShouldBe(9);
        edit.GetProperty("text").GetString().ShouldBe("edited");
        edit.GetProperty("parse_mode").GetString().ShouldBe("MarkdownV2");

        var answer = Body(requests[1]);
        answer.GetProperty("callback_query_id").GetString().ShouldBe("cb-1");
        answer.GetProperty("text").GetString().ShouldBe("done");
        answer.GetProperty("show_alert").GetBoolean().ShouldBeFalse();

        var command = Body(requests[2]).GetProperty("commands")[0];
        command.GetProperty("command").GetString().ShouldBe("start");
        command.GetProperty("description").GetString().ShouldBe("Start the bot");

        var webhook = Body(requests[3]);
        webhook.GetProperty("url").GetString().ShouldBe("https://bot.example/telegram/webhook");
        webhook.GetProperty("secret_token").GetString().ShouldBe("s3cret_-");
        webhook.GetProperty("allowed_updates").GetArrayLength().ShouldBe(3);

        Body(requests[4]).GetProperty("drop_pending_updates").GetBoolean().ShouldBeTrue();
    }

    // ---- result parsing ----

    [Fact]
    public async Task GetMe_parses_user_and_tolerates_missing_is_bot()
    {
        _handler.ThenOk("""{"username":"TestNameBot","first_name":"Test First name","id":666}""");

        var me = await CreateClient().GetMeAsync(Ct);

        me.Id.ShouldBe(666);
        me.Username.ShouldBe("TestNameBot");
        me.FirstName.ShouldBe("Test First name");
        me.IsBot.ShouldBeTrue();
    }

    [Fact]
    public async Task GetUpdates_parses_messages_and_callbacks()
    {
        _handler.ThenOk("""
            [
              {"update_id":10,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"Ann","language_code":"en"},
                "chat":{"id":7,"type":"private"},"date":1700000000,"text":"/start",
                "entities":[{"type":"bot_command","offset":0,"length":6}],"unknown_field":{"x":1}}},
              {"update_id":11,"callback_query":{"id":"cb9","from":{"id":7,"first_name":"Ann"},
                "message":{"message_id":3,"chat":{"id":7,"type":"private"},"date":1700000001},"data":"buy:1"}},
              {"update_id":12,"edited_message":{"message_id":1,"chat":{"id":7,"type":"private"},"date":1700000002,"text":"/help"}}
            ]
            """);

        var updates = await CreateClient().GetUpdatesAsync(null, 100, 0, Ct);

        updates.Count.ShouldBe(3);
        var message = updates[0].Message.ShouldNotBeNull();
        updates[0].UpdateId.ShouldBe(10);
        message.Text.ShouldBe("/start");
        message.From.ShouldNotBeNull().FirstName.ShouldBe("Ann");
        message.From.LanguageCode.ShouldBe("en");
        message.Chat.Id.ShouldBe(7);
        message.Entities.ShouldNotBeNull().Single().Type.ShouldBe("bot_command");
        message.Entities.Single().Length.ShouldBe(6);

        var callback = updates[1].CallbackQuery.ShouldNotBeNull();
        callback.Id.ShouldBe("cb9");
        callback.Data.ShouldBe("buy:1");
        callback.Message.ShouldNotBeNull().MessageId.ShouldBe(3);

        updates[2].EditedMessage.ShouldNotBeNull().Text.ShouldBe("/help");
    }

    [Fact]
    public async Task Millisecond_dates_are_normalised_to_seconds_everywhere()
    {
        _handler
            .ThenOk("""
                [
                  {"update_id":1,"message":{"message_id":1,"chat":{"id":7},"date":1700000000123,"text":"a"}},
                  {"update_id":2,"edited_message":{"message_id":1,"chat":{"id":7},"date":1700000001999}},
                  {"update_id":3,"callback_query":{"id":"1","from":{"id":7},"message":{"message_id":3,"chat":{"id":7},"date":1700000002000}}}
                ]
                """)
            .ThenOk("""{"message_id":5,"chat":{"id":7,"first_name":"Bot","type":"private"},"date":1700000003456,"text":"x"}""");
        var client = CreateClient();

        var updates = await client.GetUpdatesAsync(null, 100, 0, Ct);
        var sent = await client.SendMessageAsync(7, "x", null, Ct);

        updates[0].Message!.Date.ShouldBe(1700000000);
        updates[1].EditedMessage!.Date.ShouldBe(1700000001);
        updates[2].CallbackQuery!.Message!.Date.ShouldBe(1700000002);
        sent.ShouldNotBeNull().Date.ShouldBe(1700000003);
    }

    [Fact]
    public async Task Null_results_are_tolerated()
    {
        _handler.ThenOk("null");
        var client = CreateClient();

        await client.EditMessageTextAsync(1, 2, "t", null, Ct);
        await client.AnswerCallbackQueryAsync("1", null, showAlert: true, Ct);
        (await client.SendMessageAsync(1, "t", null, Ct)).ShouldBeNull();
        (await client.GetUpdatesAsync(null, 1, 0, Ct)).ShouldBeEmpty();
        Body(_handler.Requests.ElementAt(1)).TryGetProperty("text", out _).ShouldBeFalse();
    }

    // ---- errors ----

    [Fact]
    public async Task Ok_false_throws_with_code_and_description_without_retry()
    {
        _handler.ThenJson(HttpStatusCode.BadRequest, """{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}""");

        var ex = await Should.ThrowAsync<TelegramApiException>(() => CreateClient().SendMessageAsync(1, "x", null, Ct));

        ex.ErrorCode.ShouldBe(400);
        ex.Description.ShouldBe("Bad Request: chat not found");
        ex.Method.ShouldBe("sendMessage");
        ex.RetryAfter.ShouldBeNull();
        ex.Message.ShouldContain("chat not found");
        _handler.RequestCount.ShouldBe(1);
    }

    [Fact]
    public async Task Forbidden_is_not_retried()
    {
        _handler.ThenJson(HttpStatusCode.Forbidden, """{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}""");

        var ex = await Should.ThrowAsync<TelegramApiException>(() => CreateClient().SendMessageAsync(1, "x", null, Ct));

        ex.ErrorCode.ShouldBe(403);
        _handler.RequestCount.ShouldBe(1);
    }

    [Fact]
    public async Task Rate_limit_waits_retry_after_then_succeeds()
    {
        _handler
            .ThenJson(HttpStatusCode.TooManyRequests, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}""")
            .ThenOk("""{"message_id":2,"chat":{"id":1}}""");

        var sent = await CreateClient().SendMessageAsync(1, "x", null, Ct);

        sent.ShouldNotBeNull().MessageId.ShouldBe(2);
        _handler.RequestCount.ShouldBe(2);
        _time.FiredDelays.ShouldContain(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Rate_limit_above_max_retry_after_is_thrown_at_once()
    {
        _handler.ThenJson(HttpStatusCode.TooManyRequests, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}""");

        var ex = await Should.ThrowAsync<TelegramApiException>(() => CreateClient().SendMessageAsync(1, "x", null, Ct));

        ex.ErrorCode.ShouldBe(429);
        ex.IsRateLimited.ShouldBeTrue();
        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(35));
        _handler.RequestCount.ShouldBe(1);
    }

    [Fact]
    public async Task Emulator_not_supported_500_is_permanent()
    {
        _handler.ThenJson(HttpStatusCode.InternalServerError, """{"message":"API method 'setMyCommands' is not supported. Are you sure you're using Telegram Bot API correctly?"}""");

        var ex = await Should.ThrowAsync<TelegramApiException>(() => CreateClient().SetMyCommandsAsync([new TelegramBotCommand("start", "Start")], Ct));

        ex.ErrorCode.ShouldBe(500);
        ex.Description.ShouldStartWith("API method 'setMyCommands' is not supported");
        ex.IsNotSupported.ShouldBeTrue();
        _handler.RequestCount.ShouldBe(1);
    }

    [Fact]
    public async Task Bad_gateway_is_retried_with_exponential_backoff_then_surfaced()
    {
        _handler.ThenJson(HttpStatusCode.BadGateway, "<html>bad gateway</html>");

        var ex = await Should.ThrowAsync<TelegramApiException>(() => CreateClient().GetMeAsync(Ct));

        ex.ErrorCode.ShouldBe(502);
        ex.Description.ShouldContain("502");
        _handler.RequestCount.ShouldBe(1 + _options.MaxRetries);
        _time.FiredDelays.ShouldBe([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800)]);
    }

    [Fact]
    public async Task Server_error_then_success_returns_result()
    {
        _handler
            .ThenJson(HttpStatusCode.ServiceUnavailable, """{"ok":false,"error_code":503,"description":"Service Unavailable"}""")
            .ThenOk("""{"id":1,"first_name":"B"}""");

        (await CreateClient().GetMeAsync(Ct)).Id.ShouldBe(1);
        _handler.RequestCount.ShouldBe(2);
    }

    [Fact]
    public async Task Network_error_is_retried_then_succeeds()
    {
        _handler
            .ThenThrow(new HttpRequestException("Connection refused (telegram.test:80)"))
            .ThenThrow(new HttpRequestException("Connection refused (telegram.test:80)"))
            .ThenOk("""{"id":1,"first_name":"B"}""");

        (await CreateClient().GetMeAsync(Ct)).Id.ShouldBe(1);
        _handler.RequestCount.ShouldBe(3);
    }

    [Fact]
    public async Task Network_error_carrying_the_token_is_not_attached_as_inner_exception()
    {
        _handler.ThenThrow(new HttpRequestException($"failed http://telegram.test/bot{Token}/getMe"));

        var ex = await Should.ThrowAsync<TelegramApiException>(() => CreateClient().GetMeAsync(Ct));

        ex.IsTransportError.ShouldBeTrue();
        ex.ToString().ShouldNotContain(Token);
    }

    [Fact]
    public async Task Network_error_after_all_retries_is_a_transport_TelegramApiException()
    {
        _handler.ThenThrow(new HttpRequestException("Connection refused"));

        var ex = await Should.ThrowAsync<TelegramApiException>(() => CreateClient().GetMeAsync(Ct));

        ex.IsTransportError.ShouldBeTrue();
        ex.InnerException.ShouldBeOfType<HttpRequestException>();
        _handler.RequestCount.ShouldBe(4);
    }

    [Fact]
    public async Task Per_call_timeout_is_retried_and_surfaced_as_transport_error()
    {
        _options.RequestTimeout = TimeSpan.FromSeconds(1); // short enough for the fake clock to fire
        _options.MaxRetries = 1;
        _handler.ThenHang();

        var ex = await Should.ThrowAsync<TelegramApiException>(() => CreateClient().GetMeAsync(Ct));

        ex.IsTransportError.ShouldBeTrue();
        ex.Description.ShouldContain("timed out");
        _handler.RequestCount.ShouldBe(2);
    }

    [Fact]
    public async Task GetUpdates_timeout_includes_the_long_poll_time()
    {
        // Timers up to 10 s fire at once: RequestTimeout 2 s alone would time out, 2 s + 25 s must not.
        _options.RequestTimeout = TimeSpan.FromSeconds(2);
        _handler.Then(async (_, ct) =>
        {
            await Task.Delay(50, ct);
            return ScriptedHttpHandler.Json(HttpStatusCode.OK, """{"ok":true,"result":[]}""");
        });

        (await CreateClient().GetUpdatesAsync(null, 100, 25, Ct)).ShouldBeEmpty();
        _handler.RequestCount.ShouldBe(1);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_retried_or_wrapped()
    {
        _handler.ThenHang();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var call = CreateClient().GetMeAsync(cts.Token);
        while (_handler.RequestCount == 0)
        {
            await Task.Delay(5, Ct);
        }

        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        _handler.RequestCount.ShouldBe(1);
    }

    [Fact]
    public async Task Already_cancelled_token_sends_nothing()
    {
        _handler.ThenOk("true");

        await Should.ThrowAsync<OperationCanceledException>(() => CreateClient().GetMeAsync(new CancellationToken(canceled: true)));

        _handler.RequestCount.ShouldBe(0);
    }

    [Fact]
    public async Task Missing_token_is_a_configuration_error()
    {
        _options.BotToken = " ";

        await Should.ThrowAsync<InvalidOperationException>(() => CreateClient().GetMeAsync(Ct));
    }

    // ---- the token stays secret ----

    [Fact]
    public async Task Token_never_appears_in_exceptions_or_logs()
    {
        _handler
            .ThenThrow(new HttpRequestException($"boom at http://telegram.test/bot{Token}/sendMessage"))
            .ThenJson(HttpStatusCode.BadGateway, $$"""{"ok":false,"error_code":502,"description":"upstream /bot{{Token}}/sendMessage failed"}""")
            .ThenJson(HttpStatusCode.TooManyRequests, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}""")
            .ThenJson(HttpStatusCode.BadRequest, $$"""{"ok":false,"error_code":400,"description":"Bad Request: {{Token}}"}""");

        var ex = await Should.ThrowAsync<TelegramApiException>(() => CreateClient().SendMessageAsync(1, "x", null, Ct));

        ex.ErrorCode.ShouldBe(400);
        ex.Message.ShouldNotContain(Token);
        ex.Description.ShouldNotContain(Token);
        ex.ToString().ShouldNotContain($"bot{Token}/sendMessage failed");
        _logger.Lines.ShouldNotBeEmpty();
        foreach (var line in _logger.Lines)
        {
            line.ShouldNotContain(Token);
        }

        _logger.Lines.ShouldContain(l => l.Contains("sendMessage") && l.Contains("502"));
        _logger.Lines.ShouldContain(l => l.Contains("429"));
    }

    [Fact]
    public async Task Registered_typed_client_does_not_log_the_url()
    {
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(Options.Create(_options));
        services.AddSingleton<TimeProvider>(_time);
        services.AddTelegramBotApi().ConfigurePrimaryHttpMessageHandler(() => _handler);
        _handler.ThenOk("""{"id":1,"first_name":"B"}""");
        await using var provider = services.BuildServiceProvider();

        var api = provider.GetRequiredService<ITelegramBotApi>();
        (await api.GetMeAsync(Ct)).Id.ShouldBe(1);

        api.ShouldBeOfType<TelegramBotApiClient>();
        _handler.RequestCount.ShouldBe(1);
        foreach (var line in logs.Lines)
        {
            line.ShouldNotContain(Token);
        }
    }

    [Fact]
    public void Json_options_are_snake_case_and_skip_nulls()
    {
        var json = JsonSerializer.Serialize(new TelegramUser { Id = 1, FirstName = "A", IsBot = true }, TelegramJson.Options);

        json.ShouldContain("\"first_name\":\"A\"");
        json.ShouldContain("\"is_bot\":true");
        json.ShouldNotContain("last_name");
        JsonSerializer.Deserialize<TelegramUser>("""{"ID":5,"First_Name":"x"}""", TelegramJson.Options)!.Id.ShouldBe(5);
    }
}
