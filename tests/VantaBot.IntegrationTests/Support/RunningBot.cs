using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Bot;

namespace VantaBot.IntegrationTests.Support;

/// <summary>
/// The real bot host (the same <see cref="BotApplication.Build"/> as the executable) started in-process with
/// settings layered over the environment, listening on a free loopback port.
/// </summary>
public sealed class RunningBot : IAsyncDisposable
{
    private RunningBot(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <param name="customize">Runs first on the builder (e.g. a listener that records job fires).</param>
    /// <param name="overrideServices">Replaces registrations after the bot's own (fakes of our own ports only).</param>
    public static async Task<RunningBot> StartAsync(
        IDictionary<string, string?> settings, Action<WebApplicationBuilder>? customize = null, Action<IServiceCollection>? overrideServices = null)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Health:Urls"] = "http://127.0.0.1:0",
            ["Telegram:PollingIdleDelay"] = "00:00:00.100",
            ["Telegram:PollingTimeoutSeconds"] = "0",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }

        var app = BotApplication.Build(
            [],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(merged);
                customize?.Invoke(builder);
            },
            overrideServices);

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningBot(app, new Uri(address));
    }

    /// <summary>A bot talking to the emulator as <paramref name="telegram"/>'s bot, on <paramref name="database"/>.</summary>
    public static Task<RunningBot> StartAsync(
        TelegramEmulator telegram,
        TestDatabase database,
        IDictionary<string, string?>? extra = null,
        Action<WebApplicationBuilder>? customize = null,
        Action<IServiceCollection>? overrideServices = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = telegram.BotToken,
            ["Telegram:ApiBaseUrl"] = telegram.BaseUrl.ToString(),
            ["Database:Provider"] = database.Options.Provider.ToString(),
            ["ConnectionStrings:Main"] = database.Options.ConnectionString,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return StartAsync(settings, customize, overrideServices);
    }

    /// <summary>Polls /readyz until it answers 200, or fails the test with its last body.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        var last = "";
        while (DateTimeOffset.UtcNow < deadline)
        {
            using var response = await Http.GetAsync(new Uri("/readyz", UriKind.Relative));
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The bot never became ready: {last}");
    }

    public async Task<string> MetricsAsync() => await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
