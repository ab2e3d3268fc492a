using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using Xunit.Abstractions;

namespace VantaBot.IntegrationTests.Faults;

/// <summary>
/// PostgreSQL and Redis stopped and restarted under a DRY trade stream of many users, against the real bot host
/// (<see cref="RunningBot"/>) on <see cref="PrivatePeers"/>. The host must keep answering, and serve again
/// without a restart once the server is back; afterwards <see cref="FaultInvariants"/> hold.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class DatabaseAndRedisFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PrivatePeers _peers = null!;
    private TelegramEmulator _chat = null!;
    private RunningBot _bot = null!;

    private DatabaseOptions Database => new() { Provider = DatabaseProvider.Postgres, ConnectionString = _peers.PostgresConnection };

    public async Task InitializeAsync()
    {
        _peers = await PrivatePeers.StartAsync();
        _chat = FaultSettings.Emulator(_peers);
        try
        {
            _bot = await RunningBot.StartAsync(FaultSettings.Bot(_peers, _chat.BotToken));
            await _bot.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync throws: never leave servers behind.
            await _peers.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        _chat.Dispose();
        await _peers.DisposeAsync();
    }

    [Fact]
    public async Task Postgres_stopped_immediately_and_restarted_under_load_the_bot_answers_throughout_and_serves_again()
    {
        var stream = new TradeStream(_chat, FaultSettings.Users(8, 7_100_001), FaultSettings.Seed());
        await stream.DepositAsync(100_000m, default);
        var outages = FaultSettings.Rounds(1);

        for (var outage = 0; outage < outages; outage++)
        {
            using var phase = new CancellationTokenSource();
            var running = stream.RunAsync(TimeSpan.FromSeconds(20), phase.Token);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var before = stream.Count(stream.Users[0]);

            await _peers.StopPostgresAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            var duringOutage = stream.AllReplies.ToList();
            (await _bot.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode.ShouldBeTrue("the host is alive while the database is down");
            await _peers.StartPostgresAsync();

            await Task.Delay(TimeSpan.FromSeconds(4));
            await phase.CancelAsync();
            await running;
            stream.Count(stream.Users[0]).ShouldBeGreaterThan(before, "the stream went on");
            output.WriteLine($"outage {outage + 1}: {duringOutage.Count(r => r.Contains("Something went wrong on our side", StringComparison.Ordinal))} apologies so far");
        }

        // Served again without a restart: a fresh open goes through on the same host.
        // A reply of the stream's last command may still arrive first: ask until the open's own answer comes.
        var after = new List<string>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!after.Any(r => r.Contains("✅ Opened", StringComparison.Ordinal)) && DateTimeOffset.UtcNow < deadline)
        {
            after.AddRange(await stream.SayAsync(7_100_001, "/long ETH 100 2x", TimeSpan.FromSeconds(10), default));
        }

        after.ShouldContain(r => r.Contains("✅ Opened", StringComparison.Ordinal), string.Join("\n", after));

        await AssertInvariantsAsync(stream, probe: null);
    }

    [Fact]
    public async Task Redis_stopped_under_load_trading_fails_closed_reads_work_and_trading_resumes_when_it_returns()
    {
        var stream = new TradeStream(_chat, FaultSettings.Users(8, 7_200_001), FaultSettings.Seed());
        await stream.DepositAsync(100_000m, default);
        var outages = FaultSettings.Rounds(1);
        var probes = new TradeStream(_chat, FaultSettings.Users(outages, 7_200_100), FaultSettings.Seed());

        for (var outage = 0; outage < outages; outage++)
        {
            using var phase = new CancellationTokenSource();
            var running = stream.RunAsync(TimeSpan.FromSeconds(20), phase.Token);
            await Task.Delay(TimeSpan.FromSeconds(2));

            await _peers.StopRedisAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            // While Redis is down: one trader tries to trade and to read, with a reply for each.
            var probeUser = probes.Users[outage];
            var probeReplies = (await probes.SayAsync(probeUser, "/long ETH 100 2x", TimeSpan.FromSeconds(15), default))
                .Concat(await probes.SayAsync(probeUser, "/balance", TimeSpan.FromSeconds(15), default)).ToList();
            probeReplies.Count.ShouldBe(2, string.Join("\n", probeReplies));
            probeReplies[0].ShouldStartWith("⏸ Trading is paused for a moment: the rate limiter cannot be reached");
            probeReplies[1].ShouldContain("Balance:");

            await _peers.StartRedisAsync();
            await Task.Delay(TimeSpan.FromSeconds(4));
            await phase.CancelAsync();
            await running;
        }

        // Trading resumed: a new open goes through (the limiter reconnects in the background).
        var after = new List<string>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (!after.Any(r => r.Contains("✅ Opened", StringComparison.Ordinal)) && DateTimeOffset.UtcNow < deadline)
        {
            after.AddRange(await stream.SayAsync(7_200_001, "/long ETH 100 2x", TimeSpan.FromSeconds(10), default));
        }

        after.ShouldContain(r => r.Contains("✅ Opened", StringComparison.Ordinal), string.Join("\n", after));
        await AssertInvariantsAsync(stream, probes);
    }

    private async Task AssertInvariantsAsync(TradeStream stream, TradeStream? probe)
    {
        // EF's retrying execution strategy backs off for up to about a minute on writes that met the outage (an
        // outcome's delivered mark among them): give the bot that long to catch up.
        var report = await FaultInvariants.SettleAsync(Database, TimeSpan.FromSeconds(90));
        // The last commands of a phase may have been sent as it ended: their replies arrive after it.
        await stream.CollectUntilAsync(_ => 0, TimeSpan.Zero, default);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (stream.Received.Values.Sum(m => m.Count) < stream.Sent && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(200);
            await stream.CollectAsync(default);
        }

        output.WriteLine($"stream: {stream.Sent} commands, {stream.Unanswered} unanswered within the wait; {report}");
        report.Violations.ShouldBeEmpty(report.ToString());

        // Every command of the stream got a reply (an answer, a refusal or the apology), and nothing twice. One kind
        // of message comes on top: when the database went away after a trade committed but before its handler
        // replied, the trader got the apology and, once recovery and the relay ran, the outcome from the outbox (the
        // relay's text is the outbox row's, the handler's reply is worded more fully, so the two are told apart).
        // Such a relayed outcome must follow an apology: at most one per apology in that chat.
        var relayTexts = report.Outbox.Select(r => r.Text).ToHashSet(StringComparer.Ordinal);
        bool IsRelayCopy(string message) => relayTexts.Contains(message);
        var messages = stream.Received.Values.Sum(m => m.Count(r => !IsRelayCopy(r)));
        var relayed = stream.Received.Values.Sum(m => m.Count(IsRelayCopy));
        output.WriteLine($"outcomes delivered by the relay after an apology: {relayed}");
        foreach (var (user, received) in stream.Received)
        {
            received.Count(IsRelayCopy).ShouldBeLessThanOrEqualTo(
                received.Count(r => r.StartsWith("Something went wrong on our side", StringComparison.Ordinal)),
                $"user {user}: a relayed outcome without an apology means the handler's own reply went missing");
        }

        // Open finding (docs/reliability.md): about once in a thousand commands, the very last command a user sent
        // as the stream phase ended got no reply in the PostgreSQL scenario; it is reported here and tolerated,
        // anything else (a reply missing mid-stream, or one too many) fails.
        var cutOff = stream.Mismatches();
        output.WriteLine($"users whose message count differs from their command count (before relayed outcomes): {cutOff.Count}");
        stream.MismatchesBeyondLastCommand(IsRelayCopy).ShouldBeEmpty($"one message per command; unanswered {stream.Unanswered}");
        messages.ShouldBeInRange(stream.Sent - stream.Users.Count, stream.Sent);
        stream.AllReplies.ShouldAllBe(r => r.Length > 0);
        var merged = stream.Received.ToDictionary(p => p.Key, p => p.Value);
        foreach (var (user, list) in probe?.Received ?? new Dictionary<long, List<string>>())
        {
            merged[user] = [.. merged.GetValueOrDefault(user) ?? [], .. list];
        }

        FaultInvariants.NotificationsDeliveredOnce(report, merged).ShouldBeEmpty();
    }
}
