using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.EndToEnd;

/// <summary>
/// The real bot host polling the real Telegram Bot API emulator, with a user chatting through the emulator, on
/// each database provider.
/// </summary>
public abstract class PollingEndToEndTests(DatabaseProvider provider) : EmulatorBotTest(provider)
{
    private const long UserId = 424242;

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Telegram:Transport"] = "Polling" };

    [Fact]
    public async Task Start_replies_with_a_welcome_naming_the_execution_mode()
    {
        await Telegram.SendUserCommand(UserId, "/start");
        var reply = await SingleReplyAsync();
        TextOf(reply).ShouldContain("Welcome to VantaBot");
        TextOf(reply).ShouldContain("Execution mode: DRY");
        TextOf(reply).ShouldContain("Your role: Trader");
    }

    [Fact]
    public async Task Help_lists_the_commands_of_the_users_role()
    {
        await Telegram.SendUserCommand(UserId, "/help");
        var reply = await SingleReplyAsync();
        TextOf(reply).ShouldContain("/price <PAIR>");
        TextOf(reply).ShouldContain("/start");
    }

    [Fact]
    public async Task Price_answers_with_value_source_and_age_and_a_refresh_button()
    {
        await Telegram.SendUserCommand(UserId, "/price ETH");
        var reply = await SingleReplyAsync();
        TextOf(reply).ShouldStartWith("ETH/USD: ");
        TextOf(reply).ShouldContain("Source: simulated (SIMULATED");
        TextOf(reply).ShouldContain("Age: ");
        reply.Buttons.ToList().ShouldHaveSingleItem().CallbackData.ShouldBe("price:ETH");
    }

    [Fact]
    public async Task Pressing_refresh_edits_the_price_message()
    {
        await Telegram.SendUserCommand(UserId, "/price BTC/USD");
        var reply = await SingleReplyAsync();

        await Telegram.SendUserCallback(UserId, reply.MessageId, "price:BTC");
        await WaitForMetricAsync("vantabot_updates_handled_total{command=\"callback_price\",outcome=\"ok\"}", 1);
        (await Telegram.GetBotMessagesForChat(UserId)).ShouldBeEmpty("a refresh edits, it does not post");
    }

    [Theory]
    [InlineData("/price", "Usage: /price <PAIR>")]
    [InlineData("/price ETH BTC", "Usage: /price <PAIR>")]
    [InlineData("/price $$$", "'$$$' is not a pair")]
    [InlineData("/price NOPE", "No price source covers NOPE/USD")]
    [InlineData("/frobnicate", "Unknown command /frobnicate")]
    [InlineData("hello bot", "I understand commands only")]
    [InlineData("/💥", "I understand commands only")]
    public async Task Garbage_and_unknown_commands_get_a_clear_error(string text, string expected)
    {
        if (text.StartsWith('/') && !text.StartsWith("/💥", StringComparison.Ordinal))
        {
            await Telegram.SendUserCommand(UserId, text);
        }
        else
        {
            await Telegram.SendUserMessage(UserId, text);
        }

        var reply = await SingleReplyAsync();
        TextOf(reply).ShouldContain(expected);
    }

    [Fact]
    public async Task Readiness_reportsDatabase_and_transport_healthy_and_metrics_are_exposed()
    {
        using var ready = await Bot.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await ready.Content.ReadAsStringAsync();
        body.ShouldContain("\"database\"");
        body.ShouldContain("\"transport\"");

        await Telegram.SendUserCommand(UserId, "/help");
        await SingleReplyAsync();
        var metrics = await Bot.MetricsAsync();
        metrics.ShouldContain("vantabot_updates_handled_total{command=\"help\",outcome=\"ok\"} 1");
        metrics.ShouldContain("vantabot_handler_duration_seconds_bucket{command=\"help\",le=\"+Inf\"} 1");
    }

    private static string TextOf(EmulatorBotMessage message) => message.Text ?? "";

    private async Task<EmulatorBotMessage> SingleReplyAsync()
    {
        var replies = await Telegram.WaitForBotMessages(UserId, 1, TimeSpan.FromSeconds(15));
        replies.Count.ShouldBe(1, "exactly one reply expected");
        return replies[0];
    }

    /// <summary>Waits until the series (name plus labels, as exposed) reaches at least the value.</summary>
    private async Task WaitForMetricAsync(string series, double atLeast)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        var metrics = "";
        while (DateTimeOffset.UtcNow < deadline)
        {
            metrics = await Bot.MetricsAsync();
            var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
            if (line is not null && double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture) >= atLeast)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"metric {series} never reached {atLeast}:\n{metrics}");
    }
}

public sealed class SqlitePollingEndToEndTests() : PollingEndToEndTests(DatabaseProvider.Sqlite);

public sealed class PostgresPollingEndToEndTests() : PollingEndToEndTests(DatabaseProvider.Postgres);
