using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VantaBot.IntegrationTests.Faults;

/// <summary>What the proxy does with the bot's sends (sendMessage, editMessageText) right now.</summary>
public enum TelegramFault
{
    /// <summary>Forwarded to the emulator.</summary>
    None,

    /// <summary>HTTP 500 in Telegram's error shape, not forwarded.</summary>
    ServerError,

    /// <summary>HTTP 429 with parameters.retry_after = 1, not forwarded.</summary>
    TooManyRequests,
}

/// <summary>
/// A reverse proxy between the bot and the Telegram emulator that answers the bot's sends with the errors the real
/// Bot API gives (5xx, 429 with retry_after), which the emulator itself never does. getUpdates and every other
/// method pass through untouched, so the bot keeps receiving updates while its replies fail.
/// </summary>
public sealed class TelegramFaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private int _injected;

    private TelegramFaultProxy(WebApplication app, HttpClient upstream, Uri url)
    {
        _app = app;
        _upstream = upstream;
        Url = url;
    }

    public Uri Url { get; }

    public TelegramFault Fault { get; set; }

    /// <summary>How many sends were answered with an error instead of being forwarded.</summary>
    public int Injected => Volatile.Read(ref _injected);

    public static async Task<TelegramFaultProxy> StartAsync(Uri emulator)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var upstream = new HttpClient { BaseAddress = emulator, Timeout = TimeSpan.FromSeconds(10) };
        TelegramFaultProxy? proxy = null;
        app.Run(context => proxy!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy = new TelegramFaultProxy(app, upstream, new Uri(address));
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var isSend = path.StartsWith("/bot", StringComparison.Ordinal)
            && (path.EndsWith("/sendMessage", StringComparison.Ordinal) || path.EndsWith("/editMessageText", StringComparison.Ordinal));
        var fault = Fault;
        if (isSend && fault != TelegramFault.None)
        {
            Interlocked.Increment(ref _injected);
            context.Response.ContentType = "application/json";
            if (fault == TelegramFault.TooManyRequests)
            {
                context.Response.StatusCode = 429;
                await context.Response.WriteAsync("""{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}""");
            }
            else
            {
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("""{"ok":false,"error_code":500,"description":"Internal Server Error"}""");
            }

            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), path + context.Request.QueryString);
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > 0 || context.Request.ContentType is not null)
        {
            request.Content = new ByteArrayContent(body.ToArray());
            if (context.Request.ContentType is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        try
        {
            using var response = await _upstream.SendAsync(request, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.ContentType is { } type)
            {
                context.Response.ContentType = type.ToString();
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            // The emulator is stopped: a gateway in front of a dead server answers 502.
            context.Response.StatusCode = 502;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"ok":false,"error_code":502,"description":"Bad Gateway"}""");
        }
    }
}
