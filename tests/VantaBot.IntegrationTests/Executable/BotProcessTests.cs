using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Executable;

/// <summary>The executable itself: the README's first command, configuration errors, and a clean SIGTERM.</summary>
public sealed class BotProcessTests : IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("vantabot-proc-").FullName;

    public void Dispose() => Directory.Delete(_workDir, recursive: true);

    [Fact]
    public async Task With_no_settings_it_chats_on_the_console_with_sqlite_dry_and_simulated_prices()
    {
        using var bot = BotProcess.Start(new Dictionary<string, string> { ["Health__Urls"] = $"http://127.0.0.1:{BotProcess.FreePort()}" }, _workDir);
        await bot.Input.WriteAsync("/start\n/help\n/price ETH\n!price:ETH\n/price\n/nope\n");
        bot.Input.Close();

        (await bot.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, bot.StandardError);
        var chat = bot.StandardOutput;
        chat.ShouldContain("set Telegram__BotToken");
        chat.ShouldContain("Welcome to VantaBot");
        chat.ShouldContain("Execution mode: DRY");
        chat.ShouldContain("/price <PAIR> — ");
        chat.ShouldContain("ETH/USD: ");
        chat.ShouldContain("SIMULATED");
        chat.ShouldContain("edited]");
        chat.ShouldContain("Usage: /price <PAIR>");
        chat.ShouldContain("Unknown command /nope");
        chat.ShouldNotContain("\"Timestamp\"", customMessage: "logs belong on stderr in console mode");
        File.Exists(Path.Combine(_workDir, "vantabot.db")).ShouldBeTrue("the embedded default is a SQLite file next to the process");
    }

    [Fact]
    public async Task A_trader_opens_manages_and_closes_a_position_from_the_console_chat()
    {
        using var bot = BotProcess.Start(new Dictionary<string, string> { ["Health__Urls"] = $"http://127.0.0.1:{BotProcess.FreePort()}" }, _workDir);
        await bot.Input.WriteAsync("/deposit 10000\n/long ETH 1000 10x\n");
        await bot.Input.FlushAsync();
        var id = await WaitForPositionIdAsync(bot);

        await bot.Input.WriteAsync($"/positions\n/balance\n/tp {id} 999999\n/close {id} 50%\n/close {id}\n/pnl all\n/history\n");
        bot.Input.Close();

        (await bot.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, bot.StandardError);
        var chat = bot.StandardOutput;
        chat.ShouldContain("Deposited 10,000.00 paper USDC");
        chat.ShouldContain("✅ Opened LONG ETH/USD 10x");
        chat.ShouldContain("Equity:");
        chat.ShouldContain("❌ Not changed — TakeProfitCap");
        chat.ShouldContain("✅ Closed LONG ETH/USD 10x — 50%");
        chat.ShouldContain("Still open: collateral 497.00");
        chat.ShouldContain("over 2 closes");
        chat.ShouldContain("CLOSE LONG ETH/USD 50%");
    }

    private static async Task<string> WaitForPositionIdAsync(BotProcess bot)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var match = System.Text.RegularExpressions.Regex.Match(bot.StandardOutput, "Position (?<id>[0-9a-f]{12})");
            if (match.Success)
            {
                return match.Groups["id"].Value;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No position opened. Output:\n{bot.StandardOutput}\nErrors:\n{bot.StandardError}");
    }

    [Theory]
    [InlineData("Database__Provider", "Postgres", "Configuration error: ConnectionStrings__Main:")]
    [InlineData("Database__Provider", "Mysql", "Database__Provider")]
    [InlineData("Telegram__Transport", "Webhook", "Configuration error: Telegram__WebhookSecret:")]
    [InlineData("Access__SuperAdminIds", "12,abc", "Configuration error: Access__SuperAdminIds: 'abc'")]
    [InlineData("Prices__Sources", "simulated,bogus", "Configuration error: Prices__Sources: unknown source 'bogus'")]
    [InlineData("Trading__AllowLive", "true", "Configuration error: Prices__Sources: 'simulated' is allowed only in DRY mode")]
    public async Task A_bad_setting_stops_the_process_with_a_line_naming_it(string key, string value, string expected)
    {
        using var bot = BotProcess.Start(
            new Dictionary<string, string> { [key] = value, ["Health__Urls"] = $"http://127.0.0.1:{BotProcess.FreePort()}" },
            _workDir);
        bot.Input.Close();

        (await bot.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(2);
        bot.StandardError.ShouldContain(expected);
    }

    [Fact]
    public async Task Sigterm_stops_polling_and_exits_zero_and_the_token_never_reaches_the_logs()
    {
        using var telegram = TelegramEmulator.FromEnvironment();
        var port = BotProcess.FreePort();
        using var bot = BotProcess.Start(
            new Dictionary<string, string>
            {
                ["Telegram__BotToken"] = telegram.BotToken,
                ["Telegram__ApiBaseUrl"] = telegram.BaseUrl.ToString(),
                ["Telegram__PollingTimeoutSeconds"] = "0",
                ["Telegram__PollingIdleDelay"] = "00:00:00.100",
                ["Health__Urls"] = $"http://127.0.0.1:{port}",
            },
            _workDir);

        await telegram.SendUserCommand(99, "/start");
        (await telegram.WaitForBotMessages(99, 1, TimeSpan.FromSeconds(60))).Count.ShouldBe(1, bot.StandardError);

        bot.Terminate();
        (await bot.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(0);
        bot.StandardOutput.ShouldContain("Polling stopped");
        var secretPart = telegram.BotToken[(telegram.BotToken.IndexOf(':', StringComparison.Ordinal) + 1)..];
        (bot.StandardOutput + bot.StandardError).ShouldNotContain(secretPart);
    }
}
