using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Admin;

/// <summary>The emergency stop through the Telegram emulator: halts opens, keeps closes, flattens with close_all, resumes.</summary>
public abstract partial class EmergencyStopEndToEndTests(DatabaseProvider provider) : EmulatorBotTest(provider)
{
    private const long Admin = 777001;
    private const long SuperAdmin = 777000;
    private const long Trader = 777002;

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Access:SuperAdminIds"] = SuperAdmin.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public async Task A_stop_halts_opens_keeps_closes_notifies_admins_and_only_a_super_admin_resumes()
    {
        await SayAsync(SuperAdmin, "/start");
        (await SayAsync(SuperAdmin, $"/grant {Admin} Admin")).ShouldContain("new → Admin");
        (await Telegram.WaitForBotMessages(Admin, 1, TimeSpan.FromSeconds(15))).ShouldHaveSingleItem().Text!.ShouldContain("role is now Admin");
        await SayAsync(Trader, "/deposit 10000");
        var id = PositionId().Match(await SayAsync(Trader, "/long ETH 100 10x")).Groups["id"].Value;
        id.Length.ShouldBe(12);

        await Telegram.SendUserCommand(Admin, "/emergency_stop venue outage");
        var stopped = (await Telegram.WaitForBotMessages(Admin, 1, TimeSpan.FromSeconds(15))).ShouldHaveSingleItem().Text ?? "";
        stopped.ShouldContain("EMERGENCY STOP active on every instance");
        stopped.ShouldContain("Reason: venue outage");
        (await Telegram.WaitForBotMessages(SuperAdmin, 1, TimeSpan.FromSeconds(15))).ShouldHaveSingleItem().Text!.ShouldContain($"Emergency stop by {Admin} ({Admin}, Admin): venue outage");

        (await SayAsync(Trader, "/short BTC 100 5x")).ShouldContain("EmergencyStop");
        (await SayAsync(Trader, $"/close {id}")).ShouldNotContain("EmergencyStop");
        (await OpenPositionsAsync()).ShouldBe(0);

        (await SayAsync(Admin, "/emergency_resume")).ShouldContain("needs the SuperAdmin role; you are Admin");
        (await SayAsync(SuperAdmin, "/emergency_resume")).ShouldContain("lifted");
        (await SayAsync(Trader, "/long ETH 100 10x")).ShouldContain("✅ Opened");
    }

    [Fact]
    public async Task Close_all_flattens_every_open_position_and_tells_each_trader()
    {
        const long other = 777003;
        await SayAsync(Trader, "/deposit 10000");
        await SayAsync(other, "/deposit 10000");
        (await SayAsync(Trader, "/long ETH 100 10x")).ShouldContain("✅ Opened");
        (await SayAsync(Trader, "/short BTC 100 5x")).ShouldContain("✅ Opened");
        (await SayAsync(other, "/long SOL 100 5x")).ShouldContain("✅ Opened");

        (await SayAsync(SuperAdmin, "/emergency_stop liquidity crisis close_all")).ShouldContain("close_all: 3 of 3 open positions closed.");

        (await OpenPositionsAsync()).ShouldBe(0);
        (await Telegram.WaitForBotMessages(Trader, 2, TimeSpan.FromSeconds(15))).Count(m => m.Text!.Contains("closed by an emergency stop", StringComparison.Ordinal)).ShouldBe(2);
        (await Telegram.WaitForBotMessages(other, 1, TimeSpan.FromSeconds(15))).ShouldHaveSingleItem().Text!.ShouldContain("liquidity crisis");
        await using var scope = Bot.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<IAccountLedger>().VerifyAsync(default)).ShouldBeEmpty();

        // Repeating it under the same stop closes nothing twice.
        (await SayAsync(SuperAdmin, "/emergency_stop close_all")).ShouldContain("close_all: 0 of 0 open positions closed.");
    }

    private async Task<string> SayAsync(long user, string text)
    {
        await Telegram.SendUserCommand(user, text);
        var replies = await Telegram.WaitForBotMessages(user, 1, TimeSpan.FromSeconds(15));
        replies.Count.ShouldBe(1, $"one reply to {text}");
        return replies[0].Text ?? "";
    }

    private async Task<int> OpenPositionsAsync()
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IOrderIntentStore>();
        return (await store.GetOpenPositionsAsync(new UserId(Trader), default)).Count + (await store.GetOpenPositionsAsync(new UserId(777003), default)).Count;
    }

    [GeneratedRegex(@"Position (?<id>[0-9a-f]{12})")]
    private static partial Regex PositionId();
}

public sealed class SqliteEmergencyStopEndToEndTests() : EmergencyStopEndToEndTests(DatabaseProvider.Sqlite);

public sealed class PostgresEmergencyStopEndToEndTests() : EmergencyStopEndToEndTests(DatabaseProvider.Postgres);
