using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Transports;

/// <summary>
/// POST endpoint for Telegram's webhook calls. The secret header is compared in constant time before the body is
/// read, so a forged request costs us nothing and learns nothing.
/// </summary>
public static class WebhookEndpoint
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    /// <summary>Updates are small; anything larger is not from Telegram.</summary>
    private const long MaxBodyBytes = 1 << 20;

    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder app, TelegramOptions options)
    {
        var path = options.WebhookUrl!.AbsolutePath;
        // Comparing digests keeps the comparison constant-time even when the lengths differ.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.WebhookSecret!));
        app.MapPost(path, async (HttpContext http, UpdatePipeline pipeline, BotApiReplyChannel replies, DatabaseReadiness database) =>
        {
            var presented = http.Request.Headers[SecretHeader].ToString();
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            if (!database.IsReady)
            {
                // Telegram retries non-2xx deliveries; the update is not lost.
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            if (http.Request.ContentLength > MaxBodyBytes)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            TelegramUpdate? update;
            try
            {
                update = await JsonSerializer.DeserializeAsync<TelegramUpdate>(http.Request.Body, TelegramJson.Options, http.RequestAborted);
            }
            catch (JsonException)
            {
                return Results.BadRequest(new { error = "body is not a Telegram update" });
            }

            if (update is null)
            {
                return Results.BadRequest(new { error = "body is not a Telegram update" });
            }

            // Handled before answering: a crash mid-way makes Telegram re-deliver, and the dedupe absorbs repeats.
            await pipeline.HandleAsync(TelegramBotApiClient.NormaliseUpdate(update), replies, CancellationToken.None);
            return Results.Ok();
        });
        return app;
    }
}
