using System.Net;
using System.Text.Json;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.EndToEnd;

public sealed class ReadinessTests
{
    [Fact]
    public async Task Readyz_is_503_naming_the_database_when_it_is_unreachable_while_healthz_stays_200()
    {
        using var telegram = TelegramEmulator.FromEnvironment();
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = telegram.BotToken,
            ["Telegram:ApiBaseUrl"] = telegram.BaseUrl.ToString(),
            ["Database:Provider"] = "Postgres",

            // Port 1 on loopback: nothing listens, the connection is refused at once.
            ["ConnectionStrings:Main"] = "Host=127.0.0.1;Port=1;Database=vantabot;Username=vantabot;Password=x;Timeout=2",
        });

        using (var live = await bot.Http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            live.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var ready = await bot.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("status").GetString().ShouldBe("unready");
        body.RootElement.GetProperty("failed").EnumerateArray().Select(e => e.GetString()).ShouldContain("database");
        var detail = body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("detail").GetString() ?? "";
        detail.ShouldContain("database unreachable");
        detail.ShouldNotContain("Password");
    }
}

public sealed class RedisReadinessTests
{
    public const string RedisVariable = "VANTABOT_TEST_REDIS";

    [Fact]
    public async Task Readyz_includes_a_reachable_redis()
    {
        var redis = Environment.GetEnvironmentVariable(RedisVariable)
            ?? throw new InvalidOperationException($"{RedisVariable} is not set. Start the test peers first: '. tests/peers/start.sh'.");
        await using var database = new SqliteTestDatabase();
        using var telegram = TelegramEmulator.FromEnvironment();
        await using var bot = await StartAsync(telegram, database, redis);
        await bot.WaitUntilReadyAsync();

        var body = await bot.Http.GetStringAsync(new Uri("/readyz", UriKind.Relative));
        body.ShouldContain("redis reachable");
    }

    [Fact]
    public async Task Readyz_is_503_naming_redis_when_it_is_unreachable()
    {
        await using var database = new SqliteTestDatabase();
        using var telegram = TelegramEmulator.FromEnvironment();
        await using var bot = await StartAsync(telegram, database, $"127.0.0.1:{BotProcess.FreePort()}");

        using var ready = await bot.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("failed").EnumerateArray().Select(e => e.GetString()).ShouldContain("redis");
    }

    private static Task<RunningBot> StartAsync(TelegramEmulator telegram, TestDatabase database, string redis) =>
        RunningBot.StartAsync(telegram, database, new Dictionary<string, string?> { ["Redis:Connection"] = redis });
}
