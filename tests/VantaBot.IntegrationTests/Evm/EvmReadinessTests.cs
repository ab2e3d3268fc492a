using System.Net;
using System.Text.Json;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Evm;

/// <summary>/readyz of the whole bot with a chain configured: one check per chain, listing which endpoints answer.</summary>
public sealed class EvmReadinessTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private const string Secret = "readyz-secret-key";

    [Fact]
    public async Task Readyz_reports_the_chain_degraded_but_ready_when_one_of_two_endpoints_answers()
    {
        await using var database = new SqliteTestDatabase();
        using var telegram = TelegramEmulator.FromEnvironment();
        await using var bot = await RunningBot.StartAsync(telegram, database, new Dictionary<string, string?>
        {
            ["Chains:anvil:ChainId"] = "31337",
            ["Chains:anvil:RpcUrls:0"] = $"http://127.0.0.1:{BotProcess.FreePort()}/v2/{Secret}",
            ["Chains:anvil:RpcUrls:1"] = fixture.Node.Url,
        });
        await bot.WaitUntilReadyAsync();

        using var ready = await bot.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var text = await ready.Content.ReadAsStringAsync();
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(text);
        var check = body.RootElement.GetProperty("checks").GetProperty("evm-anvil");
        check.GetProperty("status").GetString().ShouldBe("degraded");
        check.GetProperty("detail").GetString().ShouldNotBeNull().ShouldStartWith("anvil: 1/2 endpoints answer");
        text.ShouldNotContain(Secret);
    }

    [Fact]
    public async Task Readyz_is_503_naming_the_chain_when_no_endpoint_answers()
    {
        await using var database = new SqliteTestDatabase();
        using var telegram = TelegramEmulator.FromEnvironment();
        await using var bot = await RunningBot.StartAsync(telegram, database, new Dictionary<string, string?>
        {
            ["Chains:anvil:ChainId"] = "31337",
            ["Chains:anvil:RpcUrls:0"] = $"http://127.0.0.1:{BotProcess.FreePort()}/?key={Secret}",
        });

        using var ready = await bot.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var text = await ready.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        body.RootElement.GetProperty("failed").EnumerateArray().Select(e => e.GetString()).ShouldContain("evm-anvil");
        text.ShouldNotContain(Secret);
    }

    [Fact]
    public async Task A_bad_chain_setting_stops_the_bot_at_start_naming_it()
    {
        await using var database = new SqliteTestDatabase();
        using var telegram = TelegramEmulator.FromEnvironment();

        var error = await Should.ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => RunningBot.StartAsync(telegram, database, new Dictionary<string, string?>
        {
            ["Chains:anvil:ChainId"] = "31337",
            ["Chains:anvil:RpcUrls:0"] = "ftp://127.0.0.1/",
        }));

        error.Message.ShouldContain("Chains__anvil__RpcUrls__0: must be an absolute http(s) URL.");
    }
}
