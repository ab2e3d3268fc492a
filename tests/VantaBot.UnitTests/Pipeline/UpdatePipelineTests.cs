using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Pipeline;

public sealed class UpdatePipelineTests : IDisposable
{
    private const long UserId = 1001;
    private const long GroupChatId = -100_555;

    private static readonly TimeSpan AbandonAfter = TimeSpan.FromMinutes(3);

    private readonly FakeUpdateStore _updates = new();
    private readonly ManualClock _clock = new();
    private readonly FakeUserDirectory _users = new();
    private readonly FakeAuditLog _audit = new();
    private readonly CallLog _calls = new();
    private readonly RecordingReplies _replies = new();
    private readonly ServiceProvider _metricsProvider = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<ServiceProvider> _providers = [];
    private long _nextUpdateId = 1;

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        _metricsProvider.Dispose();
    }

    [Fact]
    public async Task Command_reaches_its_handler_with_parsed_arguments()
    {
        var handled = await Pipeline().HandleAsync(Message("/echo hello   world"), _replies, default);

        handled.ShouldBeTrue();
        var context = _calls.Commands.ShouldHaveSingleItem();
        context.Command.Name.ShouldBe("echo");
        context.Command.Arguments.ShouldBe(["hello", "world"]);
        context.User.Id.ShouldBe(new UserId(UserId));
        context.ChatId.ShouldBe(UserId);
        context.TraceId.Length.ShouldBe(32);
        _replies.Sent.ShouldHaveSingleItem().Text.ShouldBe("echo: hello world");
        _audit.Records.ShouldBeEmpty();
    }

    [Fact]
    public async Task Duplicate_update_produces_no_reply_and_no_handler_call()
    {
        var pipeline = Pipeline();
        var update = Message("/echo once");

        (await pipeline.HandleAsync(update, _replies, default)).ShouldBeTrue();
        (await pipeline.HandleAsync(update, _replies, default)).ShouldBeFalse();

        _calls.Commands.Count.ShouldBe(1);
        _replies.Sent.Count.ShouldBe(1);
        _updates.Claims.ShouldBe([(update.UpdateId, "message"), (update.UpdateId, "message")]);
    }

    [Fact]
    public async Task Update_is_completed_after_its_reply_with_claims_abandoned_after_the_configured_age()
    {
        var sentWhenCompleted = -1;
        _updates.OnComplete = () => sentWhenCompleted = _replies.Sent.Count;
        var update = Message("/echo done");

        (await Pipeline().HandleAsync(update, _replies, default)).ShouldBeTrue();

        _updates.Completed.ShouldBe([update.UpdateId]);
        sentWhenCompleted.ShouldBe(1, "the reply was handed on before the update was marked completed");
        _updates.AbandonedBefore.ShouldHaveSingleItem().ShouldBe(_clock.GetUtcNow() - AbandonAfter);
    }

    [Fact]
    public async Task Duplicate_is_not_completed_again()
    {
        _updates.AlreadyClaimed.Add(78);
        (await Pipeline().HandleAsync(Message("/echo x") with { UpdateId = 78 }, _replies, default)).ShouldBeFalse();
        _updates.Completed.ShouldBeEmpty();
    }

    [Fact]
    public async Task Failed_handler_is_completed_once_apologised_for()
    {
        var update = Message("/boom");
        (await Pipeline().HandleAsync(update, _replies, default)).ShouldBeTrue();
        _replies.Sent.ShouldHaveSingleItem().Text.ShouldContain("Something went wrong");
        _updates.Completed.ShouldBe([update.UpdateId]);
    }

    [Fact]
    public async Task Failed_claim_is_apologised_for_and_not_completed()
    {
        _updates.Throw = true;
        (await Pipeline().HandleAsync(Message("/echo x"), _replies, default)).ShouldBeTrue();
        _replies.Sent.ShouldHaveSingleItem().Text.ShouldContain("nothing was changed");
        _updates.Completed.ShouldBeEmpty();
    }

    [Fact]
    public async Task Failed_completion_mark_does_not_fail_an_answered_update()
    {
        _updates.ThrowOnComplete = true;
        (await Pipeline().HandleAsync(Message("/echo still answered"), _replies, default)).ShouldBeTrue();
        _replies.Sent.ShouldHaveSingleItem().Text.ShouldBe("echo: still answered");
        _calls.Commands.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Duplicate_is_dropped_before_the_user_is_even_looked_up()
    {
        _updates.AlreadyClaimed.Add(77);
        (await Pipeline().HandleAsync(Message("/echo x") with { UpdateId = 77 }, _replies, default)).ShouldBeFalse();

        _users.Registrations.ShouldBeEmpty();
        _replies.Sent.ShouldBeEmpty();
        _replies.Answers.ShouldBeEmpty();
        _calls.Commands.ShouldBeEmpty();
    }

    [Fact]
    public async Task User_below_the_minimum_role_is_denied_audited_and_the_handler_not_called()
    {
        _users.Roles[UserId] = Role.Trader;

        (await Pipeline().HandleAsync(Message("/admin_only ban 42"), _replies, default)).ShouldBeTrue();

        _replies.Sent.ShouldHaveSingleItem().Text.ShouldBe("⛔ /admin_only needs the Admin role; you are Trader.");
        _calls.Commands.ShouldBeEmpty();
        var record = _audit.Records.ShouldHaveSingleItem();
        record.Outcome.ShouldStartWith("denied");
        record.Outcome.ShouldContain("Admin");
        record.Actor.ShouldBe(new UserId(UserId));
        record.ActorRole.ShouldBe(Role.Trader);
        record.Command.ShouldBe("admin_only");
        record.Arguments.ShouldBe("ban 42");
        record.TraceId.Length.ShouldBe(32);
    }

    [Fact]
    public async Task Operator_is_also_below_admin()
    {
        _users.Roles[UserId] = Role.Operator;
        await Pipeline().HandleAsync(Message("/admin_only"), _replies, default);
        _replies.Sent.ShouldHaveSingleItem().Text.ShouldBe("⛔ /admin_only needs the Admin role; you are Operator.");
        _calls.Commands.ShouldBeEmpty();
    }

    [Fact]
    public async Task Stored_admin_may_run_an_admin_command()
    {
        _users.Roles[UserId] = Role.Admin;
        await Pipeline().HandleAsync(Message("/admin_only"), _replies, default);
        _calls.Commands.ShouldHaveSingleItem().User.Role.ShouldBe(Role.Admin);
        _audit.Records.ShouldBeEmpty();
    }

    [Fact]
    public async Task New_user_is_registered_with_the_configured_default_role()
    {
        await Pipeline(defaultRole: Role.Viewer).HandleAsync(Message("/echo hi"), _replies, default);
        var registration = _users.Registrations.ShouldHaveSingleItem();
        registration.Role.ShouldBe(Role.Viewer);
        registration.DisplayName.ShouldBe("Ada Lovelace");
    }

    [Fact]
    public async Task Configured_super_admin_is_super_admin_whatever_the_store_says()
    {
        _users.Roles[UserId] = Role.Trader;

        await Pipeline(superAdmins: $"5, {UserId}").HandleAsync(Message("/admin_only"), _replies, default);

        _calls.Commands.ShouldHaveSingleItem().User.Role.ShouldBe(Role.SuperAdmin);
        _audit.Records.ShouldBeEmpty();
    }

    [Fact]
    public async Task Stored_super_admin_not_in_configuration_is_demoted_to_admin()
    {
        _users.Roles[UserId] = Role.SuperAdmin;

        await Pipeline(superAdmins: "5").HandleAsync(Message("/super_only"), _replies, default);

        _replies.Sent.ShouldHaveSingleItem().Text.ShouldBe("⛔ /super_only needs the SuperAdmin role; you are Admin.");
        _calls.Commands.ShouldBeEmpty();
        _audit.Records.ShouldHaveSingleItem().ActorRole.ShouldBe(Role.Admin);
    }

    [Fact]
    public async Task Demoted_super_admin_keeps_admin_powers()
    {
        _users.Roles[UserId] = Role.SuperAdmin;
        await Pipeline().HandleAsync(Message("/admin_only"), _replies, default);
        _calls.Commands.ShouldHaveSingleItem().User.Role.ShouldBe(Role.Admin);
    }

    [Fact]
    public async Task Unknown_command_gets_a_reply_naming_it()
    {
        await Pipeline().HandleAsync(Message("/frobnicate now"), _replies, default);

        var reply = _replies.Sent.ShouldHaveSingleItem();
        reply.ChatId.ShouldBe(UserId);
        reply.Text.ShouldContain("/frobnicate");
        reply.Text.ShouldStartWith("Unknown command");
        _calls.Commands.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("hello there")]
    [InlineData("price ETH")]
    [InlineData("/")]
    [InlineData("/pr-ice ETH")]
    public async Task Non_command_text_gets_the_commands_only_reply(string text)
    {
        await Pipeline().HandleAsync(Message(text), _replies, default);
        _replies.Sent.ShouldHaveSingleItem().Text.ShouldStartWith("I understand commands only");
        _calls.Commands.ShouldBeEmpty();
    }

    [Fact]
    public async Task Plain_chatter_in_a_group_is_ignored_but_commands_there_are_answered()
    {
        await Pipeline().HandleAsync(Message("good morning all", GroupChatId), _replies, default);
        _replies.Sent.ShouldBeEmpty();

        await Pipeline().HandleAsync(Message("/frobnicate", GroupChatId) with { UpdateId = 99_001 }, _replies, default);
        _replies.Sent.ShouldHaveSingleItem().Text.ShouldStartWith("Unknown command");
    }

    [Fact]
    public async Task Message_without_text_gets_a_reply()
    {
        var update = Message("x") with { Message = Message("x").Message! with { Text = null } };
        await Pipeline().HandleAsync(update, _replies, default);
        _replies.Sent.ShouldHaveSingleItem().Text.ShouldContain("only understand text commands");
        _calls.Commands.ShouldBeEmpty();
    }

    [Fact]
    public async Task Message_longer_than_4096_characters_is_refused_as_too_long()
    {
        await Pipeline().HandleAsync(Message("/echo " + new string('x', 4091)), _replies, default);
        var reply = _replies.Sent.ShouldHaveSingleItem().Text;
        reply.ShouldContain("too long");
        reply.ShouldContain("4097");
        _calls.Commands.ShouldBeEmpty();
    }

    [Fact]
    public async Task Message_of_exactly_4096_characters_is_handled()
    {
        await Pipeline().HandleAsync(Message("/echo " + new string('x', 4090)), _replies, default);
        _calls.Commands.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Command_addressed_to_another_bot_is_ignored()
    {
        var handled = await Pipeline(botUsername: "VantaBot").HandleAsync(Message("/echo@OtherBot hi", chatId: GroupChatId), _replies, default);

        handled.ShouldBeTrue();
        _replies.Sent.ShouldBeEmpty();
        _calls.Commands.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/echo@vantabot hi")]
    [InlineData("/echo@VantaBot hi")]
    [InlineData("/ECHO@VANTABOT hi")]
    public async Task Command_addressed_to_us_in_any_case_is_handled(string text)
    {
        await Pipeline(botUsername: "VantaBot").HandleAsync(Message(text, chatId: GroupChatId), _replies, default);
        _calls.Commands.ShouldHaveSingleItem().Command.Name.ShouldBe("echo");
        _replies.Sent.ShouldHaveSingleItem().ChatId.ShouldBe(GroupChatId);
    }

    [Fact]
    public async Task Message_from_a_bot_is_ignored()
    {
        var update = Message("/echo hi") with { Message = Message("/echo hi").Message! with { From = new TelegramUser { Id = 999, IsBot = true, FirstName = "Spam" } } };

        (await Pipeline().HandleAsync(update, _replies, default)).ShouldBeTrue();

        _replies.Sent.ShouldBeEmpty();
        _calls.Commands.ShouldBeEmpty();
        _users.Registrations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Message_without_a_sender_is_ignored()
    {
        var update = Message("/echo hi") with { Message = Message("/echo hi").Message! with { From = null } };
        await Pipeline().HandleAsync(update, _replies, default);
        _replies.Sent.ShouldBeEmpty();
        _users.Registrations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Throwing_handler_gets_an_apology_with_a_trace_id_and_does_not_throw()
    {
        var handled = await Pipeline().HandleAsync(Message("/boom"), _replies, default);

        handled.ShouldBeTrue();
        var reply = _replies.Sent.ShouldHaveSingleItem();
        reply.ChatId.ShouldBe(UserId);
        reply.Text.ShouldContain("nothing was changed");
        var trace = System.Text.RegularExpressions.Regex.Match(reply.Text, @"trace ([0-9a-f]{32})");
        trace.Success.ShouldBeTrue(reply.Text);
        trace.Groups[1].Value.ShouldBe(_calls.Commands.ShouldHaveSingleItem().TraceId);
    }

    [Fact]
    public async Task Failing_store_is_apologised_for_too()
    {
        _updates.Throw = true;
        (await Pipeline().HandleAsync(Message("/echo x"), _replies, default)).ShouldBeTrue();
        _replies.Sent.ShouldHaveSingleItem().Text.ShouldContain("nothing was changed");
    }

    [Fact]
    public async Task Failing_apology_is_swallowed_as_well()
    {
        _replies.ThrowOnSend = true;
        (await Pipeline().HandleAsync(Message("/boom"), _replies, default)).ShouldBeTrue();
    }

    [Fact]
    public async Task Caller_cancellation_is_not_swallowed()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        _updates.HonourCancellation = true;
        await Should.ThrowAsync<OperationCanceledException>(() => Pipeline().HandleAsync(Message("/echo x"), _replies, cts.Token));
        _replies.Sent.ShouldBeEmpty();
    }

    [Fact]
    public async Task Callback_with_unknown_prefix_is_answered_not_recognised()
    {
        await Pipeline().HandleAsync(Callback("nope:ETH"), _replies, default);

        var answer = _replies.Answers.ShouldHaveSingleItem();
        answer.Id.ShouldBe("cb-1");
        answer.Text!.ShouldContain("not recognised");
        _calls.Callbacks.ShouldBeEmpty();
        _updates.Claims.ShouldHaveSingleItem().Kind.ShouldBe("callback_query");
    }

    [Theory]
    [InlineData("test:ETH", "ETH")]
    [InlineData("test:a:b:c", "a:b:c")]
    [InlineData("test:", "")]
    [InlineData("test", "")]
    public async Task Callback_is_routed_by_prefix_with_the_payload_after_the_first_colon(string data, string payload)
    {
        await Pipeline().HandleAsync(Callback(data), _replies, default);

        var context = _calls.Callbacks.ShouldHaveSingleItem();
        context.Payload.ShouldBe(payload);
        context.CallbackQueryId.ShouldBe("cb-1");
        context.ChatId.ShouldBe(GroupChatId);
        context.MessageId.ShouldBe(500);
        context.User.Id.ShouldBe(new UserId(UserId));
        _replies.Answers.ShouldHaveSingleItem().Text.ShouldBe("ok");
    }

    [Fact]
    public async Task Callback_prefix_is_case_sensitive()
    {
        await Pipeline().HandleAsync(Callback("TEST:ETH"), _replies, default);
        _calls.Callbacks.ShouldBeEmpty();
        _replies.Answers.ShouldHaveSingleItem().Text!.ShouldContain("not recognised");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Callback_without_data_is_answered_expired(string? data)
    {
        await Pipeline().HandleAsync(Callback(data), _replies, default);
        _replies.Answers.ShouldHaveSingleItem().Text!.ShouldContain("expired");
        _calls.Callbacks.ShouldBeEmpty();
    }

    [Fact]
    public async Task Callback_below_the_handler_role_is_denied_and_audited()
    {
        _users.Roles[UserId] = Role.Viewer;
        await Pipeline().HandleAsync(Callback("test:ETH"), _replies, default);

        _calls.Callbacks.ShouldBeEmpty();
        _replies.Answers.ShouldHaveSingleItem().Text!.ShouldContain("needs the Trader role");
        var record = _audit.Records.ShouldHaveSingleItem();
        record.Outcome.ShouldStartWith("denied");
        record.Command.ShouldBe("callback_test");
        record.Arguments.ShouldBe("ETH");
    }

    [Fact]
    public async Task Identification_uses_from_id_not_the_chat_id()
    {
        _users.Roles[UserId] = Role.Admin;
        _users.Roles[-GroupChatId] = Role.Viewer;

        await Pipeline().HandleAsync(Message("/admin_only", chatId: GroupChatId), _replies, default);

        _users.Registrations.ShouldHaveSingleItem().Id.ShouldBe(new UserId(UserId));
        var context = _calls.Commands.ShouldHaveSingleItem();
        context.User.Id.ShouldBe(new UserId(UserId));
        context.ChatId.ShouldBe(GroupChatId);
        _replies.Sent.ShouldHaveSingleItem().ChatId.ShouldBe(GroupChatId);
    }

    [Fact]
    public async Task Callback_identification_uses_from_id_not_the_chat_id()
    {
        await Pipeline().HandleAsync(Callback("test:x"), _replies, default);
        _users.Registrations.ShouldHaveSingleItem().Id.ShouldBe(new UserId(UserId));
    }

    [Fact]
    public async Task Update_with_neither_message_nor_callback_is_claimed_and_ignored()
    {
        var update = new TelegramUpdate { UpdateId = 9, EditedMessage = Message("/echo x").Message };
        (await Pipeline().HandleAsync(update, _replies, default)).ShouldBeTrue();
        _updates.Claims.ShouldHaveSingleItem().ShouldBe((9L, "edited_message"));
        _replies.Sent.ShouldBeEmpty();
        _calls.Commands.ShouldBeEmpty();
    }

    // ---- harness ----

    private UpdatePipeline Pipeline(string? superAdmins = null, Role defaultRole = Role.Trader, string? botUsername = "VantaBot")
    {
        var services = new ServiceCollection();
        services.AddSingleton<IProcessedUpdateStore>(_updates);
        services.AddSingleton<IUserDirectory>(_users);
        services.AddSingleton<IAuditLog>(_audit);
        services.AddSingleton(_calls);
        AddCommand<EchoCommand>(services);
        AddCommand<AdminOnlyCommand>(services);
        AddCommand<SuperOnlyCommand>(services);
        AddCommand<BoomCommand>(services);
        services.AddKeyedScoped<ICallbackHandler, TestCallback>("test");
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        _providers.Add(provider);

        return new UpdatePipeline(
            provider.GetRequiredService<IServiceScopeFactory>(),
            new CommandCatalog(provider.GetServices<CommandInfo>()),
            new BotIdentity { Username = botUsername },
            new BotMetrics(_metricsProvider.GetRequiredService<IMeterFactory>()),
            _clock,
            Options.Create(new AccessOptions { SuperAdminIds = superAdmins, DefaultRole = defaultRole }),
            Options.Create(new TelegramOptions { UpdateClaimAbandonAfter = AbandonAfter }),
            NullLogger<UpdatePipeline>.Instance);
    }

    // As BotApplication.AddCommand does it.
    private static void AddCommand<THandler>(IServiceCollection services)
        where THandler : class, ICommandHandler, ICommandMetadata
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new CommandInfo(THandler.Command, THandler.MinimumRole, THandler.Usage, THandler.Description, typeof(THandler)));
    }

    private TelegramUpdate Message(string? text, long chatId = UserId) => new()
    {
        UpdateId = _nextUpdateId++,
        Message = new TelegramMessage
        {
            MessageId = 10,
            From = new TelegramUser { Id = UserId, FirstName = "Ada", LastName = "Lovelace" },
            Chat = new TelegramChat { Id = chatId, Type = chatId < 0 ? "supergroup" : "private" },
            Text = text,
        },
    };

    private TelegramUpdate Callback(string? data) => new()
    {
        UpdateId = _nextUpdateId++,
        CallbackQuery = new TelegramCallbackQuery
        {
            Id = "cb-1",
            From = new TelegramUser { Id = UserId, FirstName = "Ada" },
            Message = new TelegramMessage { MessageId = 500, Chat = new TelegramChat { Id = GroupChatId, Type = "supergroup" } },
            Data = data,
        },
    };

    internal sealed class CallLog
    {
        public ConcurrentQueue<CommandContext> Commands { get; } = new();

        public ConcurrentQueue<CallbackContext> Callbacks { get; } = new();
    }

    internal sealed class EchoCommand(CallLog calls) : ICommandHandler, ICommandMetadata
    {
        public static string Command => "echo";

        public static Role MinimumRole => Role.Viewer;

        public static string Usage => "/echo <text>";

        public static string Description => "Echoes.";

        public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
        {
            calls.Commands.Enqueue(context);
            await context.ReplyAsync("echo: " + string.Join(' ', context.Command.Arguments), cancellationToken);
            return UpdateOutcome.Ok;
        }
    }

    internal sealed class AdminOnlyCommand(CallLog calls) : ICommandHandler, ICommandMetadata
    {
        public static string Command => "admin_only";

        public static Role MinimumRole => Role.Admin;

        public static string Usage => "/admin_only";

        public static string Description => "Admins only.";

        public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
        {
            calls.Commands.Enqueue(context);
            await context.ReplyAsync("done", cancellationToken);
            return UpdateOutcome.Ok;
        }
    }

    internal sealed class SuperOnlyCommand(CallLog calls) : ICommandHandler, ICommandMetadata
    {
        public static string Command => "super_only";

        public static Role MinimumRole => Role.SuperAdmin;

        public static string Usage => "/super_only";

        public static string Description => "Super-admins only.";

        public Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
        {
            calls.Commands.Enqueue(context);
            return Task.FromResult(UpdateOutcome.Ok);
        }
    }

    internal sealed class BoomCommand(CallLog calls) : ICommandHandler, ICommandMetadata
    {
        public static string Command => "boom";

        public static Role MinimumRole => Role.Viewer;

        public static string Usage => "/boom";

        public static string Description => "Throws.";

        public Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
        {
            calls.Commands.Enqueue(context);
            throw new InvalidOperationException("handler bug");
        }
    }

    internal sealed class TestCallback(CallLog calls) : ICallbackHandler
    {
        public string Prefix => "test";

        public Role MinimumRole => Role.Trader;

        public async Task<UpdateOutcome> HandleAsync(CallbackContext context, CancellationToken cancellationToken)
        {
            calls.Callbacks.Enqueue(context);
            await context.Replies.AnswerCallbackAsync(context.CallbackQueryId, "ok", cancellationToken);
            return UpdateOutcome.Ok;
        }
    }

    internal sealed class FakeUpdateStore : IProcessedUpdateStore
    {
        public HashSet<long> AlreadyClaimed { get; } = [];

        public List<(long UpdateId, string Kind)> Claims { get; } = [];

        public List<DateTimeOffset> AbandonedBefore { get; } = [];

        public List<long> Completed { get; } = [];

        /// <summary>Runs as an update is completed: lets a test see what had happened by then.</summary>
        public Action? OnComplete { get; set; }

        public bool Throw { get; set; }

        public bool ThrowOnComplete { get; set; }

        public bool HonourCancellation { get; set; }

        public Task CompleteAsync(long updateId, CancellationToken cancellationToken)
        {
            if (ThrowOnComplete)
            {
                throw new InvalidOperationException("database down");
            }

            OnComplete?.Invoke();
            Completed.Add(updateId);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<long>> ReleaseUnfinishedAsync(CancellationToken cancellationToken) =>
            throw new NotSupportedException("The pipeline never releases claims; the polling transport does at start.");

        public Task<bool> TryClaimAsync(long updateId, string kind, DateTimeOffset abandonedBefore, CancellationToken cancellationToken)
        {
            AbandonedBefore.Add(abandonedBefore);
            if (HonourCancellation)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (Throw)
            {
                throw new InvalidOperationException("database down");
            }

            Claims.Add((updateId, kind));
            return Task.FromResult(AlreadyClaimed.Add(updateId));
        }

        public async Task<IReadOnlySet<long>> TryClaimManyAsync(
            IReadOnlyList<(long UpdateId, string Kind)> updates, DateTimeOffset abandonedBefore, CancellationToken cancellationToken)
        {
            if (Throw)
            {
                throw new InvalidOperationException("database down");
            }

            var claimed = new HashSet<long>();
            foreach (var (updateId, kind) in updates)
            {
                if (await TryClaimAsync(updateId, kind, abandonedBefore, cancellationToken))
                {
                    claimed.Add(updateId);
                }
            }

            return claimed;
        }

        public Task<long?> GetHighestAsync(CancellationToken cancellationToken) =>
            Task.FromResult(AlreadyClaimed.Count == 0 ? (long?)null : AlreadyClaimed.Max());
    }

    internal sealed class FakeUserDirectory : IUserDirectory
    {
        private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public Dictionary<long, Role> Roles { get; } = [];

        public List<(UserId Id, string DisplayName, Role Role)> Registrations { get; } = [];

        public Task<BotUser> RegisterOrGetAsync(UserId id, string displayName, Role initialRole, CancellationToken cancellationToken)
        {
            Registrations.Add((id, displayName, initialRole));
            var role = Roles.TryGetValue(id.Value, out var stored) ? stored : Roles[id.Value] = initialRole;
            return Task.FromResult(new BotUser(id, displayName, role, Created));
        }

        public Task<BotUser?> FindAsync(UserId id, CancellationToken cancellationToken) =>
            Task.FromResult(Roles.TryGetValue(id.Value, out var role) ? new BotUser(id, "?", role, Created) : null);

        public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(Roles.Count);
    }

    internal sealed class FakeAuditLog : IAuditLog
    {
        public List<AuditRecord> Records { get; } = [];

        public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
        {
            Records.Add(record);
            return Task.CompletedTask;
        }
    }

    internal sealed class RecordingReplies : IReplyChannel
    {
        public List<(long ChatId, string Text, TelegramInlineKeyboardMarkup? Keyboard)> Sent { get; } = [];

        public List<(long ChatId, long MessageId, string Text)> Edits { get; } = [];

        public List<(string Id, string? Text)> Answers { get; } = [];

        public bool ThrowOnSend { get; set; }

        public Task SendAsync(long chatId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
        {
            if (ThrowOnSend)
            {
                throw new HttpRequestException("telegram down");
            }

            Sent.Add((chatId, text, keyboard));
            return Task.CompletedTask;
        }

        public Task EditAsync(long chatId, long messageId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
        {
            Edits.Add((chatId, messageId, text));
            return Task.CompletedTask;
        }

        public Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken)
        {
            Answers.Add((callbackQueryId, text));
            return Task.CompletedTask;
        }
    }
}
