using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Telegram.Api;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Telegram;

/// <summary>
/// <see cref="TelegramBotApiClient"/> against the real telegram-test-api emulator. Needs
/// VANTABOT_TEST_TELEGRAM_URL (fails, not skips, without it). Each test uses its own bot token.
/// </summary>
public sealed class TelegramEmulatorClientTests : IDisposable
{
    private const long UserId = 424242;

    private readonly TelegramEmulator _emulator = TelegramEmulator.FromEnvironment();
    private readonly CountingHandler _counter = new();
    private readonly CapturingLogger _logger = new();
    private readonly HttpClient _http;
    private readonly TelegramBotApiClient _client;

    public TelegramEmulatorClientTests()
    {
        _http = new HttpClient(_counter) { Timeout = Timeout.InfiniteTimeSpan };
        _client = new TelegramBotApiClient(_http, Options.Create(_emulator.CreateBotOptions()), TimeProvider.System, _logger);
    }

    public void Dispose()
    {
        _http.Dispose();
        _emulator.Dispose();
    }

    private static CancellationToken Ct => CancellationToken.None;

    private static long NowSeconds => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task GetMe_returns_the_bot()
    {
        var me = await _client.GetMeAsync(Ct);

        me.Id.ShouldBeGreaterThan(0);
        me.IsBot.ShouldBeTrue();
        me.Username.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task User_message_arrives_through_getUpdates_with_date_in_seconds()
    {
        await _emulator.SendUserMessage(UserId, "hello bot", firstName: "Ann", cancellationToken: Ct);

        var updates = await _client.GetUpdatesAsync(null, 100, 0, Ct);

        var update = updates.ShouldHaveSingleItem();
        update.UpdateId.ShouldBeGreaterThan(0);
        var message = update.Message.ShouldNotBeNull();
        message.Text.ShouldBe("hello bot");
        message.From.ShouldNotBeNull().Id.ShouldBe(UserId);
        message.From.FirstName.ShouldBe("Ann");
        message.From.IsBot.ShouldBeFalse();
        message.Chat.Id.ShouldBe(UserId);
        message.Chat.Type.ShouldBe("private");
        message.Date.ShouldBeInRange(NowSeconds - 300, NowSeconds + 300);

        // The emulator hands each update out once (it ignores offset); a second poll is empty.
        (await _client.GetUpdatesAsync(update.UpdateId + 1, 100, 0, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task User_command_carries_a_bot_command_entity()
    {
        await _emulator.SendUserCommand(UserId, "/buy 10 ETH", cancellationToken: Ct);

        var message = (await _client.GetUpdatesAsync(null, 100, 0, Ct)).ShouldHaveSingleItem().Message.ShouldNotBeNull();

        message.Text.ShouldBe("/buy 10 ETH");
        var entity = message.Entities.ShouldNotBeNull().ShouldHaveSingleItem();
        entity.Type.ShouldBe("bot_command");
        entity.Offset.ShouldBe(0);
        entity.Length.ShouldBe(4);
    }

    [Fact]
    public async Task SendMessage_with_inline_keyboard_reaches_the_user()
    {
        var keyboard = new TelegramInlineKeyboardMarkup
        {
            InlineKeyboard =
            [
                [new TelegramInlineKeyboardButton { Text = "Confirm", CallbackData = "confirm:1" }, new TelegramInlineKeyboardButton { Text = "Cancel", CallbackData = "cancel:1" }],
            ],
        };

        var sent = await _client.SendMessageAsync(UserId, "Buy 10 ETH?", new TelegramSendOptions { ReplyMarkup = keyboard }, Ct);

        sent.ShouldNotBeNull();
        sent.Text.ShouldBe("Buy 10 ETH?");
        sent.Chat.Id.ShouldBe(UserId);
        sent.Date.ShouldBeInRange(NowSeconds - 300, NowSeconds + 300);

        var received = (await _emulator.WaitForBotMessages(UserId, 1, cancellationToken: Ct)).ShouldHaveSingleItem();
        received.MessageId.ShouldBe(sent.MessageId);
        received.ChatId.ShouldBe(UserId);
        received.Text.ShouldBe("Buy 10 ETH?");
        received.ParseMode.ShouldBeNull();
        received.Buttons.Select(b => (b.Text, b.CallbackData)).ShouldBe([("Confirm", "confirm:1"), ("Cancel", "cancel:1")]);
    }

    [Fact]
    public async Task Callback_press_arrives_and_can_be_answered_and_the_message_edited()
    {
        var keyboard = new TelegramInlineKeyboardMarkup { InlineKeyboard = [[new TelegramInlineKeyboardButton { Text = "OK", CallbackData = "ok" }]] };
        var sent = (await _client.SendMessageAsync(UserId, "Proceed?", new TelegramSendOptions { ReplyMarkup = keyboard }, Ct)).ShouldNotBeNull();
        await _emulator.SendUserCallback(UserId, sent.MessageId, "ok", cancellationToken: Ct);

        var callback = (await _client.GetUpdatesAsync(null, 100, 0, Ct)).ShouldHaveSingleItem().CallbackQuery.ShouldNotBeNull();

        callback.Data.ShouldBe("ok");
        callback.Id.ShouldNotBeNullOrEmpty();
        callback.From.Id.ShouldBe(UserId);
        var origin = callback.Message.ShouldNotBeNull();
        origin.MessageId.ShouldBe(sent.MessageId);
        origin.Chat.Id.ShouldBe(UserId);
        origin.Date.ShouldBeInRange(NowSeconds - 300, NowSeconds + 300);

        // Both answer with result:null on the emulator; neither may throw.
        await _client.AnswerCallbackQueryAsync(callback.Id, "Done", showAlert: false, Ct);
        await _client.EditMessageTextAsync(UserId, sent.MessageId, "Done.", null, Ct);

        var edited = (await _emulator.GetBotMessagesForChat(UserId, Ct)).ShouldHaveSingleItem();
        edited.MessageId.ShouldBe(sent.MessageId);
        edited.Text.ShouldBe("Done.");
    }

    [Fact]
    public async Task SetMyCommands_is_not_supported_and_not_retried()
    {
        var ex = await Should.ThrowAsync<TelegramApiException>(
            () => _client.SetMyCommandsAsync([new TelegramBotCommand("start", "Start the bot")], Ct));

        ex.ErrorCode.ShouldBe(500);
        ex.Method.ShouldBe("setMyCommands");
        ex.Description.ShouldContain("is not supported");
        ex.IsNotSupported.ShouldBeTrue();
        _counter.Count.ShouldBe(1);
        ex.ToString().ShouldNotContain(_emulator.BotToken);
        _logger.Lines.ShouldNotBeEmpty();
        _logger.Lines.ShouldAllBe(line => !line.Contains(_emulator.BotToken));
    }

    [Fact]
    public async Task Webhook_can_be_set_and_deleted_and_polling_works_afterwards()
    {
        await _client.SetWebhookAsync(new Uri("http://127.0.0.1:9/telegram/webhook"), "secret_123", Ct);
        await _client.DeleteWebhookAsync(dropPendingUpdates: true, Ct);

        // With the webhook still set the emulator would try to POST this to port 9 and fail.
        await _emulator.SendUserMessage(UserId, "after webhook", cancellationToken: Ct);

        (await _client.GetUpdatesAsync(null, 100, 0, Ct)).ShouldHaveSingleItem().Message!.Text.ShouldBe("after webhook");
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class CapturingLogger : ILogger<TelegramBotApiClient>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
    }
}
