using System.Globalization;
using Microsoft.AspNetCore.Http;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.EndToEnd;

/// <summary>
/// A trader on the Telegram emulator while the bot prices from two exchanges served by local HTTP servers: trading
/// works while they agree, the pair goes close-only when both fail (and the admin is alerted), and trading
/// resumes by itself when they answer again.
/// </summary>
public sealed class CloseOnlyEndToEndTests : IAsyncLifetime
{
    private const long Trader = 616161;
    private const long Admin = 717171;

    private LocalHttpServer _coinbase = null!;
    private LocalHttpServer _binance = null!;
    private TestDatabase _database = null!;
    private TelegramEmulator _telegram = null!;
    private RunningBot _bot = null!;
    private readonly List<string> _alerts = [];
    private volatile bool _exchangesDown;

    public async Task InitializeAsync()
    {
        _coinbase = await LocalHttpServer.StartAsync(context => _exchangesDown
            ? LocalHttpServer.Json("""{"message":"Internal server error"}""", 500)(context)
            : LocalHttpServer.Json($$"""{"trade_id":1,"price":"3400.00","size":"0.1","bid":"3399.99","ask":"3400.01","volume":"100","time":"{{DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)}}"}""")(context));
        _binance = await LocalHttpServer.StartAsync(context => _exchangesDown
            ? Unreachable(context)
            : LocalHttpServer.Json("""{"symbol":"ETHUSDT","price":"3401.00000000"}""")(context));
        _database = TestDatabase.Create(DatabaseProvider.Sqlite);
        _telegram = TelegramEmulator.FromEnvironment();
        _bot = await RunningBot.StartAsync(_telegram, _database, new Dictionary<string, string?>
        {
            ["Prices:Sources"] = "coinbase,binance",
            ["Prices:Pairs"] = "ETH",
            ["Prices:Coinbase:BaseUrl"] = _coinbase.BaseUrl.ToString(),
            ["Prices:Binance:BaseUrl"] = _binance.BaseUrl.ToString(),
            ["Prices:MaxQuoteAge"] = "00:00:01",
            ["Prices:MinFetchInterval"] = "00:00:00",
            ["Prices:Coinbase:MaxRetries"] = "0",
            ["Prices:Binance:MaxRetries"] = "0",
            ["Prices:Coinbase:BreakAfterFailures"] = "1000",
            ["Prices:Binance:BreakAfterFailures"] = "1000",
            ["Jobs:FeedHealthInterval"] = "00:00:01",
            ["Access:SuperAdminIds"] = Admin.ToString(CultureInfo.InvariantCulture),
        });
        await _bot.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        _telegram.Dispose();
        await _database.DisposeAsync();
        await _coinbase.DisposeAsync();
        await _binance.DisposeAsync();
    }

    [Fact]
    public async Task A_feed_outage_makes_the_pair_close_only_and_it_recovers_by_itself()
    {
        (await SayAsync("/deposit 10000")).ShouldContain("Deposited");
        var price = await SayAsync("/price ETH");
        price.ShouldStartWith("ETH/USD: 3,400.50 USD");
        price.ShouldContain("Sources: binance, coinbase");
        price.ShouldContain("Confidence: 100% (2 of 2 sources agree)");
        (await SayAsync("/long ETH 100 5x")).ShouldContain("✅ Opened LONG ETH/USD 5x");

        _exchangesDown = true;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var refused = await SayAsync("/long ETH 100 5x");
        refused.ShouldContain("❌ Not opened — CloseOnly: ETH/USD is close-only");
        refused.ShouldContain("No order was placed");
        var stale = await SayAsync("/price ETH");
        stale.ShouldContain("STALE: no source has a fresh quote");
        stale.ShouldContain("ETH/USD is close-only until fresh prices return");

        await WaitForAdminAsync("⏸ ETH/USD is close-only: no source has a fresh quote", "🔴 Price source coinbase is DOWN: coinbase: HTTP 500", "🔴 Price source binance is DOWN");

        (await SayAsync("/price_feeds")).ShouldContain("⛔ /price_feeds needs the Operator role");

        _exchangesDown = false;
        await WaitForAdminAsync("▶️ ETH/USD has fresh agreed prices again", "🟢 Price source coinbase is up again.", "🟢 Price source binance is up again.");
        (await SayAsync("/long ETH 100 5x")).ShouldContain("✅ Opened LONG ETH/USD 5x");
        (await SayAsync("/positions")).Split("LONG ETH/USD 5x").Length.ShouldBe(3);
    }

    private async Task<string> SayAsync(string text)
    {
        await _telegram.SendUserCommand(Trader, text);
        var replies = await _telegram.WaitForBotMessages(Trader, 1, TimeSpan.FromSeconds(15));
        replies.Count.ShouldBe(1, $"one reply to {text}");
        return replies[0].Text ?? "";
    }

    /// <summary>Waits until the admin's alerts, taken together, mention every one of <paramref name="needles"/>.</summary>
    private async Task WaitForAdminAsync(params string[] needles)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (true)
        {
            foreach (var message in await _telegram.GetBotMessagesForChat(Admin))
            {
                _alerts.Add(message.Text ?? "");
            }

            var all = string.Join("\n", _alerts);
            if (needles.All(needle => all.Contains(needle, StringComparison.Ordinal)))
            {
                _alerts.Clear();
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Admin alerts lack one of [{string.Join(" | ", needles)}]. Seen:\n{all}");
            }

            await Task.Delay(200);
        }
    }

    // A server that accepts the request and drops it: the client sees a network error, not an HTTP status.
    private static Task Unreachable(HttpContext context)
    {
        context.Abort();
        return Task.CompletedTask;
    }
}
