using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.IntegrationTests.Support;

/// <summary>
/// One real bot host per test on a fresh database of the given provider, talking to the Telegram emulator with
/// its own bot token; ready before the test starts, stopped and dropped after it.
/// </summary>
public abstract class EmulatorBotTest(DatabaseProvider provider) : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;

    protected TelegramEmulator Telegram { get; private set; } = null!;

    protected RunningBot Bot { get; private set; } = null!;

    /// <summary>Settings over the defaults (token, emulator URL, database) of <see cref="RunningBot.StartAsync(TelegramEmulator, TestDatabase, IDictionary{string, string?}?)"/>.</summary>
    protected virtual IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    /// <summary>Replaces registrations after the bot's own (fakes of our own ports only, e.g. a settable price feed).</summary>
    protected virtual void OverrideServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        Database = TestDatabase.Create(provider);
        Telegram = TelegramEmulator.FromEnvironment();
        Bot = await RunningBot.StartAsync(Telegram, Database, Settings, overrideServices: OverrideServices);
        await Bot.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        Telegram.Dispose();
        await Database.DisposeAsync();
    }
}
