using System.Globalization;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using Xunit.Abstractions;

namespace VantaBot.IntegrationTests.Faults;

/// <summary>
/// The bot executable (<see cref="BotProcess"/>) killed with SIGKILL at random moments of a DRY trade stream and
/// started again on the same PostgreSQL, round after round. Start-up recovery resolves what the kill left
/// half-done, the outbox relay sends the outcomes whose replies died with the process.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class CrashFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("vantabot-faults-proc-").FullName;
    private PrivatePeers _peers = null!;

    public async Task InitializeAsync() => _peers = await PrivatePeers.StartAsync();

    public async Task DisposeAsync()
    {
        await _peers.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }

    [Fact]
    public async Task Killed_with_sigkill_at_random_points_and_restarted_nothing_is_lost_or_left_unresolved()
    {
        var seed = FaultSettings.Seed();
        var random = new Random(seed);
        var rounds = FaultSettings.Rounds(3);
        using var chat = FaultSettings.Emulator(_peers);
        var stream = new TradeStream(chat, FaultSettings.Users(6, 7_300_001), seed);
        var settings = FaultSettings.Bot(_peers, chat.BotToken);
        var kills = 0;

        using (var first = await StartBotAsync(settings))
        {
            await stream.DepositAsync(100_000m, default);
            await first.KillAsync();
            kills++;
        }

        for (var round = 0; round < rounds; round++)
        {
            using var bot = await StartBotAsync(settings);
            using var phase = new CancellationTokenSource();
            var running = stream.RunAsync(TimeSpan.FromSeconds(3), phase.Token);
            // Anywhere from before the first update is handled to well into the stream.
            var delay = TimeSpan.FromMilliseconds(random.Next(200, 4000));
            await Task.Delay(delay);
            await bot.KillAsync();
            kills++;
            await phase.CancelAsync();
            await running;
            output.WriteLine($"round {round + 1}: killed after {delay.TotalMilliseconds} ms; {stream.Sent} commands so far");
        }

        // The last start: recovery runs, unread updates are fetched and handled, the relay delivers.
        using var last = await StartBotAsync(settings);
        var database = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = _peers.PostgresConnection };
        var report = await FaultInvariants.SettleAsync(database, TimeSpan.FromSeconds(40));
        await stream.CollectUntilAsync(_ => 0, TimeSpan.Zero, default);
        output.WriteLine($"{kills} kills, {stream.Sent} commands, {stream.Unanswered} unanswered within 3 s; {report}");
        report.Violations.ShouldBeEmpty(report.ToString());

        // No trade notification lost: each outcome reached its chat (at least once: a kill between Telegram's
        // answer and the acknowledgement may repeat one, by design of the relay).
        var received = stream.Received;
        var missing = report.Outbox.Where(row => FaultInvariants.CountOf(row, received.GetValueOrDefault(row.ChatId) ?? []) == 0).Select(row => row.Key).ToList();
        missing.ShouldBeEmpty();
        var repeated = report.Outbox.Count(row => FaultInvariants.CountOf(row, received[row.ChatId]) > 1);
        output.WriteLine($"notifications repeated after a kill: {repeated} of {report.Outbox.Count}");

        // Served again: a fresh trade opens on the restarted bot.
        var replies = new List<string>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!replies.Any(r => r.Contains("✅ Opened", StringComparison.Ordinal)) && DateTimeOffset.UtcNow < deadline)
        {
            replies.AddRange(await stream.SayAsync(7_300_001, "/long ETH 100 2x", TimeSpan.FromSeconds(10), default));
        }

        replies.ShouldContain(r => r.Contains("✅ Opened", StringComparison.Ordinal), string.Join("\n", replies));
        (await FaultInvariants.SettleAsync(database, TimeSpan.FromSeconds(20))).Violations.ShouldBeEmpty();
        await last.KillAsync();
    }

    private Task<BotProcess> StartBotAsync(Dictionary<string, string?> settings) => FaultSettings.StartReadyBotAsync(settings, _workDir);
}
