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
