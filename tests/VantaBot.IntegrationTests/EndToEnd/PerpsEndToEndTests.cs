using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.EndToEnd;

/// <summary>A trader on the Telegram emulator: deposit, open long and short, high-leverage card, positions.</summary>
public abstract class PerpsEndToEndTests(DatabaseProvider provider) : EmulatorBotTest(provider)
{
    private const long UserId = 515151;


    [Fact]
    public async Task A_trader_deposits_opens_a_long_without_and_a_short_with_a_stop_loss_and_sees_them()
    {
        (await SayAsync("/deposit 10000")).ShouldContain("Deposited 10,000.00 paper USDC");

        var opened = await SayAsync("/long ETH 100 10x");
        opened.ShouldContain("✅ Opened LONG ETH/USD 10x");
        opened.ShouldContain("(set by the bot)");

        var price = await SayAsync("/price BTC");
        var mark = decimal.Parse(price.Split(' ')[1].Split('\n')[0].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        var stop = decimal.Round(mark * 1.02m, 2);
        var shorted = await SayAsync($"/short BTC 50 5x sl={stop.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        shorted.ShouldContain("✅ Opened SHORT BTC/USD 5x");
        shorted.ShouldNotContain("(set by the bot)");

        var positions = await SayAsync("/positions");
        positions.ShouldContain("LONG ETH/USD 10x");
        positions.ShouldContain("SHORT BTC/USD 5x");
        positions.ShouldContain("liquidation ");

        (await SayAsync("/balance")).ShouldContain("Balance:   9,850.00 USDC");
        await AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Every_bad_order_is_refused_with_its_reason_and_changes_nothing()
    {
        await SayAsync("/deposit 1000");
        (await SayAsync("/long ETH")).ShouldContain("Usage: /long <PAIR> <COLLATERAL_USDC> <LEV>x");
        (await SayAsync("/long ETH 1e3 10x")).ShouldContain("'1e3' is not a number");
        (await SayAsync("/long ETH 100 10")).ShouldContain("must end in x");
        (await SayAsync("/long XYZ 100 10x")).ShouldContain("XYZ/USD is not listed");
        (await SayAsync("/long SOL 100 76x")).ShouldContain("LeverageBounds");
        (await SayAsync("/long ETH 5000 10x")).ShouldContain("InsufficientFunds");
        (await SayAsync("/long ETH 100 10x sl=1")).ShouldContain("LiquidationBuffer");

        (await SayAsync("/balance")).ShouldContain("Available: 1,000.00 USDC");
        (await SayAsync("/positions")).ShouldContain("No open positions");
        await AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_high_leverage_order_shows_a_card_and_opens_once_when_confirmed()
    {
        await SayAsync("/deposit 10000");
        await Telegram.SendUserCommand(UserId, "/long BTC 20 60x");
        var card = (await Telegram.WaitForBotMessages(UserId, 1, TimeSpan.FromSeconds(15))).ShouldHaveSingleItem();
        (card.Text ?? "").ShouldContain("High leverage");
        var confirm = card.Buttons.Single(b => b.CallbackData!.StartsWith("confirm:", StringComparison.Ordinal)).CallbackData!;
        (await SayAsync("/positions")).ShouldContain("No open positions");

        // A double tap: the second press finds the card used up and leaves the first press's result on it.
        await Telegram.SendUserCallback(UserId, card.MessageId, confirm);
        await Telegram.SendUserCallback(UserId, card.MessageId, confirm);
        await WaitUntilAsync(async () => (await OpenPositionCountAsync()) == 1, "one open position after the confirm press");

        // The card's edit is a trade outcome, delivered from the outbox after the fill commits: wait for it rather
        // than a fixed second (a busy CI machine took longer), then make sure the second press changed nothing.
        await WaitUntilAsync(async () => OpenedOnCard(await Telegram.GetConversation()), "the card edited to the opened position");
        await Task.Delay(1000);
        (await OpenPositionCountAsync()).ShouldBe(1);
        OpenedOnCard(await Telegram.GetConversation()).ShouldBeTrue("the second press must leave the first press's result on the card");
        (await SayAsync("/positions")).ShouldContain("LONG BTC/USD 60x");
        await AssertLedgerConsistentAsync();
    }

    private async Task<string> SayAsync(string text)
    {
        await Telegram.SendUserCommand(UserId, text);
        var replies = await Telegram.WaitForBotMessages(UserId, 1, TimeSpan.FromSeconds(15));
        replies.Count.ShouldBe(1, $"one reply to {text}");
        return replies[0].Text ?? "";
    }

    private async Task<int> OpenPositionCountAsync()
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IOrderIntentStore>().GetOpenPositionsAsync(new UserId(UserId), default)).Count;
    }

    private async Task AssertLedgerConsistentAsync()
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<IAccountLedger>().VerifyAsync(default)).ShouldBeEmpty();
    }

    private static bool OpenedOnCard(IEnumerable<string> conversation) =>
        conversation.Any(line => line.StartsWith("bot: ✅ Opened LONG BTC/USD 60x", StringComparison.Ordinal));

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                // Say what the bot showed the trader, so a failure explains itself.
                var conversation = await Telegram.GetConversation();
                throw new TimeoutException($"Not reached: {what}. The conversation:\n{string.Join('\n', conversation)}");
            }

            await Task.Delay(100);
        }
    }
}

public sealed class SqlitePerpsEndToEndTests() : PerpsEndToEndTests(DatabaseProvider.Sqlite);

public sealed class PostgresPerpsEndToEndTests() : PerpsEndToEndTests(DatabaseProvider.Postgres);
