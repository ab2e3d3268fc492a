using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Admin;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;
using Xunit.Abstractions;

namespace VantaBot.IntegrationTests.Reliability;

/// <summary>
/// Issue #9 §3: hostile input through the real update pipeline (real DI, real database), in-process.
/// <c>VANTABOT_FUZZ_ITERATIONS</c> sets the number of updates (default: the CI figure below), <c>VANTABOT_FUZZ_SEED</c>
/// replays a run; the seed is printed either way.
/// </summary>
public abstract partial class HostileInputFuzzTests(DatabaseProvider provider, int defaultIterations, ITestOutputHelper output) : EmulatorBotTest(provider)
{
    private const long SuperAdmin = 9000;
    private const long CardOwner = 1100;
    private const int DefaultSeed = 20260909;

    private readonly string _providerName = provider.ToString();

    private static long _nextUpdateId = 9_000_000_000 + Random.Shared.Next(1_000_000);

    private readonly TestPriceFeed _feed = new(TimeProvider.System);
    private readonly RecordingReplies _replies = new();

    /// <summary>Commands that only read (or whose every argument form here is a no-op), so "ok" is a fine answer to garbage.</summary>
    private static readonly HashSet<string> ReadOnly = new(StringComparer.Ordinal)
    {
        "start", "help", "price", "balance", "positions", "pnl", "history", "price_feeds", "rate_limits", "system_status", "risk_summary",
        "audit", "audit_verify", "execution_mode", "emergency_resume", "live", "callback_price",
        "following", "leaders",
    };

    /// <summary>What a refusal must look like: it names the problem or the right form.</summary>
    [GeneratedRegex(
        @"Usage|not a |is not|not listed|must|too long|more than|Unknown command|understand|⛔|⏸|❌|needs?|expired|already used|not recognised|Only the|names no|nothing (was )?changed|nothing was ordered|no open position|has no|No price|cannot|Cannot|above 0|at most|allow list|No user with",
        RegexOptions.CultureInvariant)]
    private static partial Regex ClearError();

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Access:SuperAdminIds"] = SuperAdmin.ToString(CultureInfo.InvariantCulture),
        ["Limits:MessagesPerMinute"] = "100000",
        ["Limits:PositionOpensPerMinute"] = "100000",
        ["Limits:TradesPerDay"] = "100000",
        ["Limits:VolumeUsdPerHour"] = "1000000000",
    };

    protected override void OverrideServices(IServiceCollection services)
    {
        // Fixed prices: no stop-loss or take-profit fires by itself during the run, so any change is the fuzzer's.
        _feed.Set(Pair.Usd("ETH"), 3000m);
        _feed.Set(Pair.Usd("BTC"), 60000m);
        _feed.Set(Pair.Usd("SOL"), 150m);
        services.AddSingleton<IPriceFeed>(_feed);
    }

    [Fact]
    public async Task Invalid_input_never_crashes_always_gets_one_clear_refusal_and_changes_nothing()
    {
        var iterations = FuzzState.IterationsFromEnvironment(defaultIterations);
        var seed = FuzzState.SeedFromEnvironment(DefaultSeed);
        output.WriteLine($"hostile-input fuzz on {_providerName}: seed {seed} (VANTABOT_FUZZ_SEED={seed} replays it), {iterations} updates");

        var (users, foreign, used) = await SetUpUsersAsync();
        var pipeline = Bot.Services.GetRequiredService<UpdatePipeline>();
        var catalog = Bot.Services.GetRequiredService<CommandCatalog>();
        var minimumRoles = catalog.All.ToDictionary(c => c.Command, c => c.MinimumRole, StringComparer.Ordinal);
        var generator = new HostileInput(seed, minimumRoles, users, foreign, used);
        using var outcomes = new OutcomeListener(Bot.Services.GetRequiredService<IMeterFactory>());

        var before = await FuzzState.SnapshotAsync(Bot.Services);
        var tally = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations && failures.Count < 20; i++)
        {
            var input = generator.Next();
            var replies = await FeedAsync(pipeline, input);
            var outcome = outcomes.LastOutcome ?? "none";
            var key = $"{outcomes.LastCommand}:{outcome}";
            tally[key] = tally.GetValueOrDefault(key) + 1;
            if (Check(input, replies, outcome, outcomes.LastCommand) is { } problem)
            {
                failures.Add($"#{i} {input}: {problem}");
            }
        }

        clock.Stop();
        output.WriteLine($"{iterations} updates in {clock.Elapsed.TotalSeconds:0.0} s ({iterations / clock.Elapsed.TotalSeconds:0} updates/s)");
        foreach (var (key, count) in tally.OrderByDescending(t => t.Value))
        {
            output.WriteLine($"  {key}: {count}");
        }

        failures.ShouldBeEmpty($"seed {seed}:\n" + string.Join('\n', failures));
        outcomes.Errors.ShouldBe(0, $"seed {seed}: the pipeline counted errors");
        var after = await FuzzState.SnapshotAsync(Bot.Services);
        if (after != before)
        {
            var diff = after.Split('\n').Except(before.Split('\n')).Concat(before.Split('\n').Except(after.Split('\n')).Select(l => "- " + l)).Take(20);
            Assert.Fail($"seed {seed}: invalid input changed state:\n{string.Join('\n', diff)}");
        }

        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task Valid_and_hostile_commands_mixed_keep_the_ledger_consistent_and_every_intent_resolved()
    {
        var iterations = Math.Max(500, FuzzState.IterationsFromEnvironment(defaultIterations) / 20);
        var seed = FuzzState.SeedFromEnvironment(DefaultSeed) + 1;
        output.WriteLine($"mixed fuzz on {_providerName}: seed {seed}, {iterations} updates");

        var (users, foreign, used) = await SetUpUsersAsync();
        var pipeline = Bot.Services.GetRequiredService<UpdatePipeline>();
        var minimumRoles = Bot.Services.GetRequiredService<CommandCatalog>().All.ToDictionary(c => c.Command, c => c.MinimumRole, StringComparer.Ordinal);
        var hostile = new HostileInput(seed, minimumRoles, users, foreign, used);
        var random = new Random(seed);
        using var outcomes = new OutcomeListener(Bot.Services.GetRequiredService<IMeterFactory>());
        var traders = users.Where(u => u.Role >= Role.Trader).ToArray();
        var cards = new List<(FuzzUser User, string Token)>();
        var failures = new List<string>();
        var ok = 0;
        for (var i = 0; i < iterations && failures.Count < 20; i++)
        {
            var trader = traders[random.Next(traders.Length)];
            FuzzInput input = random.Next(10) switch
            {
                0 => Say(trader, $"/deposit {random.Next(1, 5000)}"),
                1 or 2 => Say(trader, $"/{(random.Next(2) == 0 ? "long" : "short")} {Pick(random, "ETH", "BTC", "SOL")} {random.Next(1, 400)} {Pick(random, "2x", "10x", "25x", "60x")}"),
                3 => Say(trader, "/close " + (await OwnPositionsAsync(trader.Id)).DefaultIfEmpty("000000000000").ElementAt(0) + Pick(random, "", " 50%", " 25%")),
                4 when cards.Count > 0 => Press(cards, random),
                5 => Say(trader, "/sl " + (await OwnPositionsAsync(trader.Id)).DefaultIfEmpty("000000000000").ElementAt(0) + " " + Pick(random, "2500", "2900", "65000", "140")),
                _ => hostile.Next(),
            };

            var replies = await FeedAsync(pipeline, input);
            cards.AddRange(_lastCards.Select(t => (input.User, t)));
            if (outcomes.LastOutcome == "ok")
            {
                ok++;
            }

            if (outcomes.LastOutcome == "error" || replies.Sent.Any(r => r.Text.Contains("Something went wrong", StringComparison.Ordinal))
                || replies.Answers.Any(a => a?.Contains("Something went wrong", StringComparison.Ordinal) == true))
            {
                failures.Add($"#{i} {input}: the pipeline failed");
            }
            else if (replies.Sent.Count + replies.Answers.Count == 0)
            {
                failures.Add($"#{i} {input}: no answer at all");
            }
        }

        output.WriteLine($"{ok} of {iterations} updates succeeded");
        failures.ShouldBeEmpty($"seed {seed}:\n" + string.Join('\n', failures));
        outcomes.Errors.ShouldBe(0);
        ok.ShouldBeGreaterThan(iterations / 20, "the mix must also exercise valid trades");
        await AssertInvariantsAsync();
    }

    private List<string> _lastCards = [];

    private static FuzzInput Say(FuzzUser user, string text) => new(user, text, null, false, text.Split(' ')[0][1..]);

    private static FuzzInput Press(List<(FuzzUser User, string Token)> cards, Random random)
    {
        var (user, token) = cards[random.Next(cards.Count)];
        return new FuzzInput(user, null, (random.Next(4) == 0 ? "cancel:" : "confirm:") + token, true, "callback");
    }

    private static string Pick(Random random, params string[] items) => items[random.Next(items.Length)];

    /// <returns>The problem with this update's handling, or null when it was handled as invalid input must be.</returns>
    private static string? Check(FuzzInput input, FuzzReplies replies, string outcome, string? command)
    {
        var all = replies.Sent.Select(r => r.Text).Concat(replies.Answers.Select(a => a ?? "")).ToArray();
        if (outcome == "error" || all.Any(t => t.Contains("Something went wrong", StringComparison.Ordinal)))
        {
            return "the pipeline failed (error outcome or apology): " + string.Join(" | ", all);
        }

        string reply;
        if (input.IsCallback)
        {
            if (replies.Answers.Count != 1 || replies.Sent.Count != 0 || replies.Edits > 1)
            {
                return $"expected one callback answer, got {replies.Answers.Count} answers, {replies.Sent.Count} messages, {replies.Edits} edits";
            }

            reply = replies.Answers[0] ?? "";
        }
        else
        {
            if (replies.Sent.Count != 1 || replies.Answers.Count != 0 || replies.Sent[0].ChatId != input.User.Id)
            {
                return $"expected one reply to the sender, got {replies.Sent.Count}: {string.Join(" | ", all)}";
            }

            reply = replies.Sent[0].Text;
        }

        if (string.IsNullOrWhiteSpace(reply))
        {
            return "empty reply";
        }

        if (outcome == "ok")
        {
            return command is not null && ReadOnly.Contains(command) ? null : $"invalid input accepted by /{command}: {Shorten(reply)}";
        }

        return ClearError().IsMatch(reply) ? null : $"unclear refusal ({outcome}): {Shorten(reply)}";
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;

    private async Task<FuzzReplies> FeedAsync(UpdatePipeline pipeline, FuzzInput input)
    {
        var id = Interlocked.Increment(ref _nextUpdateId);
        var from = new TelegramUser { Id = input.User.Id, FirstName = $"fuzz{input.User.Id}" };
        var chat = new TelegramChat { Id = input.User.Id, Type = "private" };
        var update = input.IsCallback
            ? new TelegramUpdate
            {
                UpdateId = id,
                CallbackQuery = new TelegramCallbackQuery
                {
                    Id = id.ToString(CultureInfo.InvariantCulture),
                    From = from,
                    Data = input.CallbackData,
                    Message = new TelegramMessage { MessageId = 1, Chat = chat },
                },
            }
            : new TelegramUpdate { UpdateId = id, Message = new TelegramMessage { MessageId = 1, From = from, Chat = chat, Text = input.Text } };

        (await pipeline.HandleAsync(update, _keyboards, default)).ShouldBeTrue();
        var replies = _replies.Take();
        _lastCards = _keyboards.TakeTokens();
        return replies;
    }

    private KeyboardRecorder _keyboards => _keyboardRecorder ??= new KeyboardRecorder(_replies);

    private KeyboardRecorder? _keyboardRecorder;

    /// <summary>Sets up the fixed cast (one user per role, a trader with open positions) and the card tokens for forged and replayed taps.</summary>
    private async Task<(IReadOnlyList<FuzzUser> Users, IReadOnlyList<string> Foreign, IReadOnlyList<string> Used)> SetUpUsersAsync()
    {
        var driver = new PipelineDriver(Bot);
        var roles = new (long Id, Role Role)[] { (1001, Role.Viewer), (1002, Role.Trader), (1003, Role.Trader), (1004, Role.Operator), (1005, Role.Admin), (CardOwner, Role.Trader) };
        foreach (var (id, role) in roles)
        {
            await driver.SetRoleAsync(id, role);
        }

        await driver.SetRoleAsync(SuperAdmin, Role.Admin);
        (await driver.SayAsync(1003, "/deposit 10000")).ShouldHaveSingleItem().ShouldContain("Deposited");
        (await driver.SayAsync(1003, "/long ETH 100 10x")).ShouldHaveSingleItem().ShouldContain("Opened");
        (await driver.SayAsync(1003, "/short BTC 50 5x")).ShouldHaveSingleItem().ShouldContain("Opened");
        (await driver.SayAsync(1005, "/deposit 500")).ShouldHaveSingleItem().ShouldContain("Deposited");
        (await driver.SayAsync(CardOwner, "/deposit 10000")).ShouldHaveSingleItem().ShouldContain("Deposited");

        // Cards of a trader the fuzzer never plays: one left pending (others' taps are forged), one cancelled (taps are replays).
        var foreign = new List<string>();
        var used = new List<string>();
        var pipeline = Bot.Services.GetRequiredService<UpdatePipeline>();
        for (var i = 0; i < 3; i++)
        {
            await FeedAsync(pipeline, Say(new FuzzUser(CardOwner, Role.Trader, []), "/long ETH 100 60x"));
            foreign.Add(_lastCards.ShouldHaveSingleItem());
            await FeedAsync(pipeline, Say(new FuzzUser(CardOwner, Role.Trader, []), "/short BTC 100 60x"));
            var cancelled = _lastCards.ShouldHaveSingleItem();
            await FeedAsync(pipeline, new FuzzInput(new FuzzUser(CardOwner, Role.Trader, []), null, "cancel:" + cancelled, true, "callback"));
            used.Add(cancelled);
        }

        var users = new List<FuzzUser>();
        foreach (var (id, role) in roles.Where(r => r.Id != CardOwner).Append((SuperAdmin, Role.SuperAdmin)))
        {
            users.Add(new FuzzUser(id, role, await OwnPositionsAsync(id)));
        }

        users.Single(u => u.Id == 1003).OwnPositions.Count.ShouldBe(2);
        return (users, foreign, used);
    }

    private async Task<IReadOnlyList<string>> OwnPositionsAsync(long user)
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        var positions = await scope.ServiceProvider.GetRequiredService<IPositionStore>().GetAllOpenAsync(default);
        return positions.Where(p => p.User == new UserId(user)).Select(p => p.Id.ToString()).ToArray();
    }

    private async Task AssertInvariantsAsync()
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<IAccountLedger>().VerifyAsync(default)).ShouldBeEmpty("ledger discrepancies");
        var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
        (await db.Accounts.AsNoTracking().Where(a => a.BalanceMicros - a.HeldMicros < 0).CountAsync()).ShouldBe(0, "negative available balance");
        (await db.OrderIntents.AsNoTracking().Where(i => i.State == IntentState.Pending || i.State == IntentState.Submitted).CountAsync()).ShouldBe(0, "unresolved intents");
        var audit = await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(default);
        var broken = audit.Problems.Select(p => p.RowId).OfType<long>().Take(3).ToArray();
        var rows = await db.AuditLog.AsNoTracking().Where(a => broken.Contains(a.Id)).ToListAsync();
        audit.Problems.ShouldBeEmpty(
            "audit chain: " + string.Join(" / ", rows.Select(r => $"#{r.Id} /{r.Command} args [{string.Join(' ', r.Arguments.Take(200).Select(c => c < 0x20 || c > 0x7E ? $"U+{(int)c:X4}" : c.ToString()))}] ({r.Arguments.Length}) outcome {r.Outcome}")));
    }

    /// <summary>Forwards to the recorder and keeps the tokens of confirmation cards shown.</summary>
    private sealed class KeyboardRecorder(RecordingReplies inner) : IReplyChannel
    {
        private readonly List<string> _tokens = [];

        public List<string> TakeTokens()
        {
            var taken = _tokens.ToList();
            _tokens.Clear();
            return taken;
        }

        public Task SendAsync(long chatId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
        {
            foreach (var button in keyboard?.InlineKeyboard.SelectMany(row => row) ?? [])
            {
                if (button.CallbackData is { } data && data.StartsWith("confirm:", StringComparison.Ordinal))
                {
                    _tokens.Add(data["confirm:".Length..]);
                }
            }

            return inner.SendAsync(chatId, text, keyboard, cancellationToken);
        }

        public Task EditAsync(long chatId, long messageId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken) =>
            inner.EditAsync(chatId, messageId, text, keyboard, cancellationToken);

        public Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken) =>
            inner.AnswerCallbackAsync(callbackQueryId, text, cancellationToken);
    }
}

public sealed class SqliteHostileInputFuzzTests(ITestOutputHelper output) : HostileInputFuzzTests(DatabaseProvider.Sqlite, 10_000, output);

public sealed class PostgresHostileInputFuzzTests(ITestOutputHelper output) : HostileInputFuzzTests(DatabaseProvider.Postgres, 3_000, output);
