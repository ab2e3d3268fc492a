using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.IntegrationTests.Support;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.IntegrationTests.EndToEnd;

/// <summary>
/// A trader manages a position through the Telegram emulator: equity, TP/SL changes, a partial close, the monitor's
/// take-profit notice, /pnl and /history. Prices come from a feed the test moves (a fake of our own port).
/// </summary>
public abstract partial class ClosingEndToEndTests(DatabaseProvider provider) : EmulatorBotTest(provider)
{
    private const long UserId = 616161;
    private static readonly Pair Eth = Pair.Usd("ETH");
    private readonly TestPriceFeed _feed = new(TimeProvider.System);

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Perps:MonitorInterval"] = "00:00:00.200",
    };

    protected override void OverrideServices(IServiceCollection services)
    {
        _feed.Set(Eth, 3000m);
        services.AddSingleton<IPriceFeed>(_feed);
    }

    [Fact]
    public async Task A_trader_moves_protection_closes_half_and_the_monitor_takes_profit_on_the_rest()
    {
        await SayAsync("/deposit 10000");
        var opened = await SayAsync("/long ETH 1000 10x sl=2900 tp=3300");
        opened.ShouldContain("✅ Opened LONG ETH/USD 10x");
        var id = PositionId().Match(opened).Groups["id"].Value;
        id.Length.ShouldBe(12);

        _feed.Set(Eth, 3030m);
        var balance = await SayAsync("/balance");
        balance.ShouldContain("Balance:   9,000.00 USDC");
        balance.ShouldContain("Equity:    10,0");
        balance.ShouldContain("unrealised +");

        (await SayAsync($"/tp {id} 3200")).ShouldContain("TP 3,200.00");
        (await SayAsync($"/sl {id} 3050")).ShouldContain("❌ Not changed — ExitPriceSide");
        (await SayAsync($"/sl {id} 2950")).ShouldContain("SL 2,950.00");
        (await SayAsync("/close zzz")).ShouldContain("is not a position id");
        (await SayAsync($"/close {id} 150%")).ShouldContain("at most 100%");
        (await SayAsync("/close 0123456789ab")).ShouldContain("no open position 0123456789ab");

        var half = await SayAsync($"/close {id} 50%");
        half.ShouldContain("✅ Closed LONG ETH/USD 10x — 50%");
        half.ShouldContain("Still open: collateral 497.00");

        // The rest closes by itself when the mark reaches the take-profit; the trader is told without asking.
        _feed.Set(Eth, 3205m);
        var notice = (await Telegram.WaitForBotMessages(UserId, 1, TimeSpan.FromSeconds(15))).ShouldHaveSingleItem();
        (notice.Text ?? "").ShouldContain("🎯 Take-profit hit: closed LONG ETH/USD 10x");
        (notice.Text ?? "").ShouldContain("exit 3,200.00");

        var pnl = await SayAsync("/pnl all");
        pnl.ShouldContain("over 2 closes (2 wins, 0 losses");
        pnl.ShouldContain("0 open positions");
        var history = await SayAsync("/history");
        history.ShouldContain("CLOSE LONG ETH/USD @ 3,200.00");
        history.ShouldContain("TakeProfit");
        history.ShouldContain("CLOSE LONG ETH/USD 50%");
        history.ShouldContain("OPEN  LONG ETH/USD 10x · 1,000.00 USDC @ 3,000.90");
        (await SayAsync("/positions")).ShouldContain("No open positions");
        (await SayAsync("/pnl 1y")).ShouldContain("the period is today, 7d or all");

        await using var scope = Bot.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<IAccountLedger>().VerifyAsync(default)).ShouldBeEmpty();
    }

    private async Task<string> SayAsync(string text)
    {
        await Telegram.SendUserCommand(UserId, text);
        var replies = await Telegram.WaitForBotMessages(UserId, 1, TimeSpan.FromSeconds(15));
        replies.Count.ShouldBe(1, $"one reply to {text}");
        return replies[0].Text ?? "";
    }

    [GeneratedRegex("Position (?<id>[0-9a-f]{12})")]
    private static partial Regex PositionId();
}

public sealed class SqliteClosingEndToEndTests() : ClosingEndToEndTests(DatabaseProvider.Sqlite);

public sealed class PostgresClosingEndToEndTests() : ClosingEndToEndTests(DatabaseProvider.Postgres);
