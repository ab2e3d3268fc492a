using System.Globalization;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Faults;

/// <summary>xunit collection: fault tests stop servers and load 2 cores, so they run one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}

/// <summary>Settings and sizes shared by the fault scenarios.</summary>
public static class FaultSettings
{
    /// <summary>Rounds of the SIGKILL scenario and outage repetitions of the others; CI uses the small default.</summary>
    public const string RoundsVariable = "VANTABOT_FAULT_ROUNDS";

    public const string SeedVariable = "VANTABOT_FAULT_SEED";

    public static int Rounds(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable(RoundsVariable), CultureInfo.InvariantCulture, out var rounds) && rounds > 0 ? rounds : ciDefault;

    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), CultureInfo.InvariantCulture, out var seed) ? seed : 20260909;

    /// <summary>
    /// The emulator client of a scenario. The emulator marks bot messages read as it answers a chat read, so a read
    /// the client gave up on loses them; under a loaded 2-core machine an answer may take many seconds, hence the
    /// long timeout (the stream never cancels a read or a send in flight, see <see cref="TradeStream"/>).
    /// </summary>
    public static TelegramEmulator Emulator(PrivatePeers peers, string? botToken = null) =>
        new(peers.TelegramUrl, botToken ?? TelegramEmulator.NewBotToken(), timeout: TimeSpan.FromMinutes(3));

    public static IReadOnlyList<long> Users(int count, long first) => Enumerable.Range(0, count).Select(i => first + i).ToList();

    /// <summary>
    /// The bot as configured for the faults: PostgreSQL, Redis and the emulator of <paramref name="peers"/>; limits
    /// high enough that the stream is not rate-limited; outbound retries, outbox relay and recovery fast enough to
    /// finish inside a test (keys as configuration paths; see <see cref="AsEnvironment"/> for the executable).
    /// </summary>
    public static Dictionary<string, string?> Bot(PrivatePeers peers, string botToken, Uri? telegramUrl = null, bool redis = true) => new()
    {
        ["Telegram:BotToken"] = botToken,
        ["Telegram:ApiBaseUrl"] = (telegramUrl ?? peers.TelegramUrl).ToString(),
        ["Telegram:PollingIdleDelay"] = "00:00:00.100",
        ["Telegram:PollingTimeoutSeconds"] = "0",
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Main"] = peers.PostgresConnection,
        ["Redis:Connection"] = redis ? peers.RedisConnection : "",
        ["Limits:StoreTimeout"] = "00:00:00.500",
        ["Limits:PositionOpensPerMinute"] = "100000",
        ["Limits:TradesPerDay"] = "1000000",
        ["Limits:MessagesPerMinute"] = "100000",
        ["Limits:VolumeUsdPerHour"] = "1000000000",
        ["Outbound:PerChatInterval"] = "00:00:00.010",
        ["Outbound:GlobalPerSecond"] = "1000",
        ["Outbound:BaseBackoff"] = "00:00:00.200",
        ["Outbound:MaxBackoff"] = "00:00:02",
        ["Outbound:MaxAttempts"] = "20",
        ["Outbound:OutboxGrace"] = "00:00:03",
        ["Outbound:OutboxPollInterval"] = "00:00:00.250",
        ["Jobs:RecoveryInterval"] = "00:00:01",
        ["Jobs:RecoveryMinAge"] = "00:00:10",
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };

    /// <summary>The same settings as environment variables of the executable (":" becomes "__").</summary>
    public static Dictionary<string, string> AsEnvironment(IDictionary<string, string?> settings) =>
        settings.ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value ?? "");

    /// <summary>
    /// Starts the bot executable with <paramref name="settings"/> (health endpoints on a free port) and waits until
    /// /readyz answers 200; a bot that never gets ready is killed and its stderr fails the test.
    /// </summary>
    public static async Task<BotProcess> StartReadyBotAsync(IDictionary<string, string?> settings, string workDir)
    {
        var port = BotProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var environment = AsEnvironment(settings);
        environment["Health__Urls"] = $"http://127.0.0.1:{port}";
        var bot = BotProcess.Start(environment, workDir);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return bot;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or starting slowly on a busy machine.
            }

            await Task.Delay(200);
        }

        var errors = bot.StandardError;
        await bot.KillAsync();
        bot.Dispose();
        throw new TimeoutException($"The bot never became ready:\n{errors}");
    }
}
