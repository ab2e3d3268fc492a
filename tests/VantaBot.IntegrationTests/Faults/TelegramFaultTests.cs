using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using Xunit.Abstractions;

namespace VantaBot.IntegrationTests.Faults;

/// <summary>
/// The Bot API answering the bot's sends with 429 (retry_after) and 5xx, and the emulator process stopped and
/// started again, while traders' trades go through: the outbound queue retries and backs off, and once Telegram is
/// back every trade outcome reaches its chat exactly once (the handler's reply or the outbox relay's copy).
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class TelegramFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PrivatePeers _peers = null!;
    private TelegramFaultProxy _proxy = null!;
    private TelegramEmulator _chat = null!;
    private RunningBot _bot = null!;

    public async Task InitializeAsync()
    {
        _peers = await PrivatePeers.StartAsync();
        try
        {
            _proxy = await TelegramFaultProxy.StartAsync(_peers.TelegramUrl);
            _chat = FaultSettings.Emulator(_peers);
            _bot = await RunningBot.StartAsync(FaultSettings.Bot(_peers, _chat.BotToken, _proxy.Url));
            await _bot.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await _peers.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _proxy.DisposeAsync();
        _chat.Dispose();
        await _peers.DisposeAsync();
    }

    [Fact]
    public async Task Sends_refused_with_429_and_5xx_and_the_emulator_restarted_every_trade_outcome_arrives_once()
    {
        var stream = new TradeStream(_chat, FaultSettings.Users(6, 7_400_001), FaultSettings.Seed());
        await stream.DepositAsync(100_000m, default);
        var database = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = _peers.PostgresConnection };
        var rounds = FaultSettings.Rounds(1);

        for (var round = 0; round < rounds; round++)
        {
            foreach (var fault in new[] { TelegramFault.TooManyRequests, TelegramFault.ServerError })
            {
                // Every trader trades while every send is refused; the updates still come in.
                var processed = (await FaultInvariants.CheckAsync(database)).ProcessedUpdates;
                _proxy.Fault = fault;
                await stream.SendToEachAsync(_ => "/long ETH 100 2x", default);
                await WaitForProcessedAsync(database, processed + stream.Users.Count);
                await Task.Delay(TimeSpan.FromSeconds(3));
                _proxy.Fault = TelegramFault.None;
                await stream.CollectUntilAsync(user => stream.CommandsOf(user).Count, TimeSpan.FromSeconds(30), default);
                output.WriteLine($"round {round + 1} {fault}: {_proxy.Injected} sends refused so far");
            }
        }

        // The emulator itself goes away with the outcomes unsent: sends fail (502 at the gateway), then it comes back
        // empty. Updates sent after its restart would reuse update ids (its counter restarts at 1, which real
        // Telegram never does) and the bot would drop them as duplicates, so the traders trade only before the stop.
        var before = (await FaultInvariants.CheckAsync(database)).ProcessedUpdates;
        _proxy.Fault = TelegramFault.ServerError;
        await stream.SendToEachAsync(user => "/close " + OpenPosition(stream, user), default);
        await WaitForProcessedAsync(database, before + stream.Users.Count);
        await stream.CollectAsync(default);
        await _peers.StopTelegramAsync();
        _proxy.Fault = TelegramFault.None;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await _peers.StartTelegramAsync();
        await stream.CollectUntilAsync(user => stream.CommandsOf(user).Count, TimeSpan.FromSeconds(30), default);

        var report = await FaultInvariants.SettleAsync(database, TimeSpan.FromSeconds(30));
        await stream.CollectUntilAsync(user => stream.CommandsOf(user).Count, TimeSpan.FromSeconds(10), default);
        output.WriteLine($"{stream.Sent} commands, {_proxy.Injected} sends refused; {report}");
        report.Violations.ShouldBeEmpty(report.ToString());
        report.OutboxRows.ShouldBe(stream.Users.Count * ((2 * rounds) + 1), "two opens per round and one close per trader");
        FaultInvariants.NotificationsDeliveredOnce(report, stream.Received).ShouldBeEmpty();
        stream.Mismatches().ShouldBeEmpty("one message per command, nothing lost, nothing twice");
    }

    private static string OpenPosition(TradeStream stream, long user)
    {
        // The most recent open of this trader that has no close yet (each trader opened two).
        var messages = stream.Received.GetValueOrDefault(user) ?? [];
        var opened = messages.Select(m => System.Text.RegularExpressions.Regex.Match(m, "Opened .*\nPosition (?<id>[0-9a-f]{12})"))
            .Where(m => m.Success).Select(m => m.Groups["id"].Value).ToList();
        opened.ShouldNotBeEmpty($"trader {user} saw an open: {string.Join("\n---\n", messages)}");
        return opened[^1];
    }

    private static async Task WaitForProcessedAsync(DatabaseOptions database, int count)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while ((await FaultInvariants.CheckAsync(database)).ProcessedUpdates < count)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The bot did not take {count} updates in time.");
            }

            await Task.Delay(200);
        }
    }
}
