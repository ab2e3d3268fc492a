using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Bot.Transports;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.EndToEnd;

/// <summary>Webhook mode: updates POSTed to the bot's endpoint, replies through the emulator's Bot API.</summary>
public abstract class WebhookEndToEndTests(DatabaseProvider provider) : EmulatorBotTest(provider)
{
    private const string Secret = "s3cret_webhook-token";
    private const string WebhookPath = "/telegram/webhook";
    private const long UserId = 777001;

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Telegram:Transport"] = "Webhook",

        // Where Telegram would call us; the test posts to the same path on the bot's own listener.
        ["Telegram:WebhookUrl"] = "https://bot.example.invalid" + WebhookPath,
        ["Telegram:WebhookSecret"] = Secret,
    };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong")]
    [InlineData(Secret + "x")]
    public async Task A_wrong_or_missing_secret_is_refused_with_403_and_nothing_is_handled(string? presented)
    {
        using var response = await PostUpdateAsync(UpdateJson(1, "/start"), presented);
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await ProcessedUpdateCountAsync()).ShouldBe(0);
        (await Telegram.WaitForBotMessages(UserId, 1, TimeSpan.FromSeconds(1))).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_forged_request_is_refused_before_its_body_is_read()
    {
        // Not JSON at all: a 403 (not a 400) shows the body was never parsed.
        using var response = await PostUpdateAsync("{{{ not json", "forged");
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_same_update_delivered_twice_is_answered_once()
    {
        var update = UpdateJson(5001, "/start");
        using (var first = await PostUpdateAsync(update, Secret))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var second = await PostUpdateAsync(update, Secret))
        {
            second.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var replies = await Telegram.WaitForBotMessages(UserId, 2, TimeSpan.FromSeconds(2));
        replies.Count.ShouldBe(1);
        (replies[0].Text ?? "").ShouldContain("Welcome to VantaBot");
        (await ProcessedUpdateCountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task A_malformed_body_with_the_right_secret_is_a_400_and_changes_nothing()
    {
        using var response = await PostUpdateAsync("[1,2,3]", Secret);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ProcessedUpdateCountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_price_request_over_the_webhook_is_answered()
    {
        using var response = await PostUpdateAsync(UpdateJson(6001, "/price sol"), Secret);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var reply = (await Telegram.WaitForBotMessages(UserId, 1)).ShouldHaveSingleItem();
        (reply.Text ?? "").ShouldStartWith("SOL/USD: ");
    }

    private async Task<HttpResponseMessage> PostUpdateAsync(string json, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(WebhookPath, UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
        {
            request.Headers.Add(WebhookEndpoint.SecretHeader, secret);
        }

        return await Bot.Http.SendAsync(request);
    }

    private async Task<int> ProcessedUpdateCountAsync()
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<VantaBotDbContext>().ProcessedUpdates.Count();
    }

    private static string UpdateJson(long updateId, string text) =>
        $$$"""
        {"update_id":{{{updateId}}},"message":{"message_id":{{{updateId}}},"from":{"id":{{{UserId}}},"isBot":false,"first_name":"Webhook"},
         "chat":{"id":{{{UserId}}},"type":"private"},"date":1795000000,"text":"{{{text}}}",
         "entities":[{"offset":0,"length":{{{text.Split(' ')[0].Length}}},"type":"bot_command"}]}}
        """;
}

public sealed class SqliteWebhookEndToEndTests() : WebhookEndToEndTests(DatabaseProvider.Sqlite);

public sealed class PostgresWebhookEndToEndTests() : WebhookEndToEndTests(DatabaseProvider.Postgres);
