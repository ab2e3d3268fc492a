using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VantaBot.Bot;
using VantaBot.Bot.Transports;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bench.Shared;

/// <summary>
/// The real bot host for a benchmark, started in-process on an ephemeral health port. By default without a chat: no
/// token (so the Console transport), whose terminal never types and whose replies go nowhere. A token in
/// <c>settings</c> (with <c>Telegram:ApiBaseUrl</c>) selects the polling transport instead, as the harness through
/// the Telegram emulator does. Returned once the database is migrated, so the benchmark measures trading, not
/// start-up.
/// </summary>
internal static class HeadlessBot
{
    /// <param name="overrideServices">Registrations over the bot's own (e.g. a handler watching its Bot API client).</param>
    public static async Task<WebApplication> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? overrideServices = null)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Health:Urls"] = "http://127.0.0.1:0",
            ["Telegram:BotToken"] = "",
        };
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }

        var app = BotApplication.Build(
            [],
            builder => builder.Configuration.AddInMemoryCollection(merged),
            services =>
            {
                services.RemoveAll<ConsoleIo>();
                services.AddSingleton(new ConsoleIo(new SilentReader(), TextWriter.Null));
                overrideServices?.Invoke(services);
            });
        await app.StartAsync();
        await app.Services.GetRequiredService<DatabaseReadiness>().WaitAsync(CancellationToken.None);
        return app;
    }
}

/// <summary>A terminal nobody types into: the Console transport waits on it until the host stops.</summary>
internal sealed class SilentReader : TextReader
{
    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    }

    public override string? ReadLine() => throw new NotSupportedException("The harness's terminal is asynchronous only.");
}
