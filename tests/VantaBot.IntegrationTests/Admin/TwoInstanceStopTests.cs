using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Control;

namespace VantaBot.IntegrationTests.Admin;

/// <summary>
/// Two bot instances on one PostgreSQL database, each on its own emulator bot: an emergency stop sent to one
/// refuses orders on the other within a bound — by Redis pub/sub, or by the database re-read without Redis.
/// </summary>
public sealed class TwoInstanceStopTests : IAsyncLifetime
{
    private const long Admin = 9100;
    private const long Trader = 9200;

    private TestDatabase _database = null!;
    private TelegramEmulator _telegramA = null!;
    private TelegramEmulator _telegramB = null!;
    private RunningBot? _botA;
    private RunningBot? _botB;

    public Task InitializeAsync()
    {
        _database = TestDatabase.Create(DatabaseProvider.Postgres);
        _telegramA = TelegramEmulator.FromEnvironment();
        _telegramB = TelegramEmulator.FromEnvironment();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var bot in new[] { _botA, _botB })
        {
            if (bot is not null)
            {
                await bot.DisposeAsync();
            }
        }

        _telegramA.Dispose();
        _telegramB.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task With_redis_a_stop_on_one_instance_refuses_orders_on_the_other_within_a_second()
    {
        // A 30 s database re-read cannot explain a sub-second stop: only the Redis signal can.
        var redis = Environment.GetEnvironmentVariable("VANTABOT_TEST_REDIS") ?? throw new InvalidOperationException("VANTABOT_TEST_REDIS is not set; start the test peers.");
        var elapsed = await StartBothAndStopOnAAsync(new() { ["Redis:Connection"] = redis, ["Admin:ControlRefreshInterval"] = "00:00:30" });
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
        await OrderOnBIsRefusedThenAcceptedAfterResumeAsync();
    }

    [Fact]
    public async Task Without_redis_the_database_re_read_stops_the_other_instance_within_its_interval()
    {
        var elapsed = await StartBothAndStopOnAAsync(new() { ["Admin:ControlRefreshInterval"] = "00:00:01" });

        // One interval, plus one re-read and scheduling slack on a shared machine.
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2.5));
        await OrderOnBIsRefusedThenAcceptedAfterResumeAsync();
    }

    private async Task<TimeSpan> StartBothAndStopOnAAsync(Dictionary<string, string?> settings)
    {
        settings["Access:SuperAdminIds"] = Admin.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _botA = await RunningBot.StartAsync(_telegramA, _database, settings);
        _botB = await RunningBot.StartAsync(_telegramB, _database, settings);
        await _botA.WaitUntilReadyAsync();
        await _botB.WaitUntilReadyAsync();
        (await SayAsync(_telegramB, Trader, "/deposit 10000")).ShouldContain("Deposited");

        var controlB = _botB.Services.GetRequiredService<ISystemControl>();
        (await controlB.GetAsync(default)).IsStopped.ShouldBeFalse();

        await _telegramA.SendUserCommand(Admin, "/emergency_stop venue incident");
        var stopReply = await WaitForReplyAsync(_telegramA, Admin, "EMERGENCY STOP");
        var clock = Stopwatch.StartNew();
        while (!(await controlB.GetAsync(default)).IsStopped)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "instance B never saw the stop");
            await Task.Delay(10);
        }

        stopReply.ShouldContain("Halted: new perp positions");
        return clock.Elapsed;
    }

    private async Task OrderOnBIsRefusedThenAcceptedAfterResumeAsync()
    {
        (await SayAsync(_telegramB, Trader, "/long ETH 100 10x")).ShouldContain("EmergencyStop");

        await _telegramA.SendUserCommand(Admin, "/emergency_resume");
        await WaitForReplyAsync(_telegramA, Admin, "lifted");
        var controlB = _botB!.Services.GetRequiredService<ISystemControl>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while ((await controlB.GetAsync(default)).IsStopped)
        {
            (DateTimeOffset.UtcNow < deadline).ShouldBeTrue("instance B never saw the resume");
            await Task.Delay(50);
        }

        (await SayAsync(_telegramB, Trader, "/long ETH 100 10x")).ShouldContain("✅ Opened LONG ETH/USD 10x");
    }

    private static async Task<string> SayAsync(TelegramEmulator telegram, long user, string text)
    {
        await telegram.SendUserCommand(user, text);
        var replies = await telegram.WaitForBotMessages(user, 1, TimeSpan.FromSeconds(15));
        replies.Count.ShouldBe(1, $"one reply to {text}");
        return replies[0].Text ?? "";
    }

    private static async Task<string> WaitForReplyAsync(TelegramEmulator telegram, long chat, string containing)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (DateTimeOffset.UtcNow < deadline)
        {
            foreach (var message in await telegram.GetBotMessagesForChat(chat))
            {
                if (message.Text?.Contains(containing, StringComparison.Ordinal) == true)
                {
                    return message.Text;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No reply containing '{containing}'. Conversation:\n{string.Join('\n', await telegram.GetConversation())}");
    }
}
