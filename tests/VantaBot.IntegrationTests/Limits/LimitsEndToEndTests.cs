using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Limits;

/// <summary>Limits, the outbox and the failure policy through the whole bot on the Telegram emulator.</summary>
public sealed class LimitsEndToEndTests : IAsyncLifetime
{
    private const long Trader = 626262;
    private const long Admin = 636363;

    private readonly string _prefix = $"test:{Guid.NewGuid():N}";
    private readonly List<IAsyncDisposable> _cleanup = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_bot_instances_share_one_users_message_limit_through_redis()
    {
        var settings = new Dictionary<string, string?> { ["Limits:MessagesPerMinute"] = "4" };
        var (first, firstChat) = await StartBotAsync(RedisServer.SharedConnection, settings);
        var (second, secondChat) = await StartBotAsync(RedisServer.SharedConnection, settings);
        first.ShouldNotBe(second);

        var replies = new List<string>();
        foreach (var chat in new[] { firstChat, firstChat, firstChat, secondChat, secondChat, secondChat })
        {
            replies.Add(await SayAsync(chat, Trader, "/price ETH"));
        }

        replies.Count(r => r.StartsWith("ETH/USD", StringComparison.Ordinal)).ShouldBe(4, string.Join("\n", replies));
        replies.Skip(4).ShouldAllBe(r => r.StartsWith("⏸ Rate limit reached: messages 4 per minute. Frees up in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_tightens_a_users_opens_the_trader_is_told_which_limit_and_an_operator_sees_the_usage()
    {
        var (_, chat) = await StartBotAsync(RedisServer.SharedConnection, new Dictionary<string, string?> { ["Access:SuperAdminIds"] = Admin.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        (await SayAsync(chat, Trader, "/deposit 10000")).ShouldContain("Deposited");
        (await SayAsync(chat, Admin, "/set_limit 626262 opens 1")).ShouldBe("✅ Opens of 626262 set to 1 per minute. Applies from the user's next action.");
        (await SayAsync(chat, Admin, "/set_limit 626262 volume lots")).ShouldContain("'lots' is not a whole number");

        (await SayAsync(chat, Trader, "/long ETH 100 2x")).ShouldContain("✅ Opened LONG ETH/USD 2x");
        var refused = await SayAsync(chat, Trader, "/long ETH 100 2x");
        refused.ShouldStartWith("❌ Not opened — RateLimit:PositionOpens: Rate limit reached: position opens 1 per minute. Frees up in ");
        refused.ShouldContain(" UTC).");

        var usage = await SayAsync(chat, Admin, "/rate_limits 626262");
        usage.ShouldContain("• opens: 1 used of 1 per minute, all free in ");
        usage.ShouldContain("(override)");
        // 200 USD of notional; the hour's budget refills continuously (a cent every 3.6 ms), so a little may be back already.
        usage.ShouldMatch(@"• volume: (19\d|200) used of 10,000 USD per hour");
        usage.ShouldContain("• trades: 1 used of 50 per day");

        var global = await SayAsync(chat, Admin, "/rate_limits");
        global.ShouldContain("Rate limiter: redis — reachable");
        global.ShouldContain("Per-user overrides: 1");

        (await SayAsync(chat, Trader, "/rate_limits")).ShouldContain("needs the Operator role");
        (await SayAsync(chat, Admin, "/set_limit 626262 opens default")).ShouldContain("reset to the default, 5 per minute");
        (await SayAsync(chat, Trader, "/long ETH 100 2x")).ShouldContain("✅ Opened");
    }

    [Fact]
    public async Task A_trade_outcome_reaches_the_trader_once_and_its_outbox_row_is_marked_delivered()
    {
        var (bot, chat) = await StartBotAsync(RedisServer.SharedConnection, new Dictionary<string, string?>
        {
            ["Outbound:OutboxGrace"] = "00:00:01",
            ["Outbound:OutboxPollInterval"] = "00:00:00.200",
        });
        await SayAsync(chat, Trader, "/deposit 1000");
        (await SayAsync(chat, Trader, "/long ETH 100 2x")).ShouldContain("✅ Opened LONG ETH/USD 2x");

        // Well past the grace: a relay that had missed the acknowledgement would have sent its copy by now.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        (await chat.GetBotMessagesForChat(Trader)).ShouldBeEmpty();
        await using var db = bot.Database.CreateContext();
        var row = await db.Set<OutboxMessageEntity>().SingleAsync();
        row.Key.ShouldStartWith($"trade:{Trader}:update:");
        row.DeliveredAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task An_outcome_whose_reply_never_happened_is_relayed_once_from_the_outbox()
    {
        var (bot, chat) = await StartBotAsync(RedisServer.SharedConnection, new Dictionary<string, string?>
        {
            ["Outbound:OutboxGrace"] = "00:00:00",
            ["Outbound:OutboxPollInterval"] = "00:00:00.200",
        });

        // As recovery at start-up writes it: committed with the fill, no handler alive to reply.
        await using (var db = bot.Database.CreateContext())
        {
            OutboxWriter.Add(db, new OutboxNotice($"trade:{Trader}:update:99", Trader, "✅ Opened LONG ETH/USD 2x (found by recovery)"), DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        var relayed = await chat.WaitForBotMessages(Trader, 1, TimeSpan.FromSeconds(10));
        relayed.Select(m => m.Text).ShouldBe(["✅ Opened LONG ETH/USD 2x (found by recovery)"]);
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await chat.GetBotMessagesForChat(Trader)).ShouldBeEmpty("delivered once");
        await using var check = bot.Database.CreateContext();
        (await check.Set<OutboxMessageEntity>().SingleAsync()).DeliveredAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task With_redis_down_trading_is_refused_reads_work_and_both_recover_after_a_restart()
    {
        var redis = await RedisServer.StartAsync();
        _cleanup.Add(redis);
        var (bot, chat) = await StartBotAsync(redis.Connection);
        (await SayAsync(chat, Trader, "/deposit 10000")).ShouldContain("Deposited");
        (await SayAsync(chat, Trader, "/long ETH 100 2x")).ShouldContain("✅ Opened");

        await redis.StopAsync();
        await WaitForReadyzAsync(bot.Running, HttpStatusCode.ServiceUnavailable, "redis");

        (await SayAsync(chat, Trader, "/price ETH")).ShouldStartWith("ETH/USD");
        (await SayAsync(chat, Trader, "/balance")).ShouldContain("Balance:");
        (await SayAsync(chat, Trader, "/long ETH 100 2x")).ShouldStartWith("⏸ Trading is paused for a moment: the rate limiter cannot be reached");

        // Any trade path, not only chat commands (copy-trading, future swaps), meets the same closed gate.
        await using (var scope = bot.Running.Services.CreateAsyncScope())
        {
            var attempt = new TradeAttempt(new UserId(Trader), TradeAction.OpenPerp, Pair.TryParse("ETH", out var eth) ? eth : throw new InvalidOperationException(), 100m, IsCopy: true, "copy:1");
            var decision = await scope.ServiceProvider.GetRequiredService<TradeGates>().CheckAsync(TradeGateStage.BeforeCommit, attempt, default);
            decision.Gate.ShouldBe("RateLimit:Unavailable");
        }

        await redis.StartAgainAsync();
        await WaitForReadyzAsync(bot.Running, HttpStatusCode.OK, "redis");
        (await SayAsync(chat, Trader, "/long ETH 100 2x")).ShouldContain("✅ Opened");
    }

    private async Task<(TestBot Bot, TelegramEmulator Chat)> StartBotAsync(string redis, IDictionary<string, string?>? extra = null)
    {
        var database = new SqliteTestDatabase();
        _cleanup.Add(database);
        var telegram = TelegramEmulator.FromEnvironment();
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Connection"] = redis,
            ["Limits:KeyPrefix"] = _prefix,
            ["Limits:StoreTimeout"] = "00:00:00.500",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var running = await RunningBot.StartAsync(telegram, database, settings);
        var bot = new TestBot(running, database, telegram);
        _cleanup.Add(bot);
        await running.WaitUntilReadyAsync();
        return (bot, telegram);
    }

    private static async Task<string> SayAsync(TelegramEmulator chat, long user, string text)
    {
        await chat.SendUserCommand(user, text);
        var replies = await chat.WaitForBotMessages(user, 1, TimeSpan.FromSeconds(15));
        replies.Count.ShouldBe(1, $"one reply to {text}");
        return replies[0].Text ?? "";
    }

    private static async Task WaitForReadyzAsync(RunningBot bot, HttpStatusCode expected, string check)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        var body = "";
        while (DateTimeOffset.UtcNow < deadline)
        {
            using var response = await bot.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
            body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == expected && body.Contains(check, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"/readyz never answered {expected}: {body}");
    }

    private sealed record TestBot(RunningBot Running, TestDatabase Database, TelegramEmulator Telegram) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Running.DisposeAsync();
            Telegram.Dispose();
        }
    }
}
