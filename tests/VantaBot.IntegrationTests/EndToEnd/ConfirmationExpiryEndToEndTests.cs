using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.EndToEnd;

/// <summary>A high-leverage card left too long: the tap after the TTL orders nothing and says why.</summary>
public abstract class ConfirmationExpiryEndToEndTests(DatabaseProvider provider) : EmulatorBotTest(provider)
{
    private const long UserId = 717171;

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Risk:ConfirmationTtl"] = "00:00:01",
    };

    [Fact]
    public async Task A_card_confirmed_after_its_ttl_orders_nothing()
    {
        await Telegram.SendUserCommand(UserId, "/deposit 10000");
        (await Telegram.WaitForBotMessages(UserId, 1, TimeSpan.FromSeconds(15))).ShouldHaveSingleItem();
        await Telegram.SendUserCommand(UserId, "/long BTC 20 60x");
        var card = (await Telegram.WaitForBotMessages(UserId, 1, TimeSpan.FromSeconds(15))).ShouldHaveSingleItem();
        (card.Text ?? "").ShouldContain("confirm within 1 s");
        var confirm = card.Buttons.Single(b => b.CallbackData!.StartsWith("confirm:", StringComparison.Ordinal)).CallbackData!;

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await Telegram.SendUserCallback(UserId, card.MessageId, confirm);

        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (!(await Telegram.GetConversation()).Any(line => line.Contains("expired (1 s); nothing was ordered", StringComparison.Ordinal)))
        {
            DateTimeOffset.UtcNow.ShouldBeLessThan(deadline, string.Join('\n', await Telegram.GetConversation()));
            await Task.Delay(100);
        }

        await using var scope = Bot.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<IOrderIntentStore>().GetOpenPositionsAsync(new UserId(UserId), default)).ShouldBeEmpty();
        (await scope.ServiceProvider.GetRequiredService<IAccountLedger>().GetAsync(new UserId(UserId), default)).Available.ShouldBe(10_000m);
    }
}

public sealed class SqliteConfirmationExpiryEndToEndTests() : ConfirmationExpiryEndToEndTests(DatabaseProvider.Sqlite);

public sealed class PostgresConfirmationExpiryEndToEndTests() : ConfirmationExpiryEndToEndTests(DatabaseProvider.Postgres);
