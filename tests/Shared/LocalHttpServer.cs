using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VantaBot.Tests.Shared;

/// <summary>
/// A Kestrel server on a free loopback port answering every request with <see cref="Handler"/>, standing in for a
/// public HTTP API (Pyth Hermes, Coinbase, Binance) so tests never reach the internet. Counts and records requests.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<(string PathAndQuery, string? Authorization)> _requests = [];

    private LocalHttpServer(WebApplication app, Func<HttpContext, Task> handler)
    {
        _app = app;
        Handler = handler;
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Swappable while the server runs: tests turn a healthy API into a failing one and back.</summary>
    public Func<HttpContext, Task> Handler { get; set; }

    public IReadOnlyList<(string PathAndQuery, string? Authorization)> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    public static async Task<LocalHttpServer> StartAsync(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LocalHttpServer(app, handler);
        app.Run(async context =>
        {
            lock (server._gate)
            {
                server._requests.Add((context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.FirstOrDefault()));
            }

            await server.Handler(context);
        });
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return server;
    }

    /// <summary>A handler answering <paramref name="status"/> with a JSON body.</summary>
    public static Func<HttpContext, Task> Json(string body, int status = 200) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
