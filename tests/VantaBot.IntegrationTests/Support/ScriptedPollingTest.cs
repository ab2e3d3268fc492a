using Microsoft.Extensions.DependencyInjection;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.IntegrationTests.Support;

/// <summary>
/// The real bot polling <see cref="ScriptedBotApi"/> (a fake of our own port that keeps updates the way Telegram
/// does) on a fresh, migrated database; the bot is stopped and the database dropped after the test.
/// </summary>
public abstract class ScriptedPollingTest(DatabaseProvider provider) : IAsyncLifetime
{
    private TelegramEmulator _emulator = null!;
    private RunningBot? _bot;

    protected ScriptedBotApi Api { get; } = new();

    protected TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = TestDatabase.Create(provider);
        _emulator = TelegramEmulator.FromEnvironment();
        await Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }

        _emulator.Dispose();
        await Database.DisposeAsync();
    }

    /// <summary>Starts the bot with <see cref="Api"/> as its Bot API and waits until it is ready.</summary>
    protected async Task StartBotAsync(IDictionary<string, string?>? extra = null, Action<IServiceCollection>? overrideServices = null)
    {
        _bot = await RunningBot.StartAsync(_emulator, Database, extra, overrideServices: services =>
        {
            services.AddSingleton<ITelegramBotApi>(Api);
            overrideServices?.Invoke(services);
        });
        await _bot.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>A private-chat text message from <paramref name="sender"/>.</summary>
    protected static TelegramUpdate Message(long updateId, long sender, string text) => new()
    {
        UpdateId = updateId,
        Message = new TelegramMessage
        {
            MessageId = updateId,
            From = new TelegramUser { Id = sender, FirstName = $"User{sender}" },
            Chat = new TelegramChat { Id = sender, Type = "private" },
            Text = text,
        },
    };
}
