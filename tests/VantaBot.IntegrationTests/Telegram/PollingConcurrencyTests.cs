using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Bot.Outbound;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Gates;

namespace VantaBot.IntegrationTests.Telegram;

/// <summary>
/// The polling transport handles one getUpdates batch with several senders at once, each sender's updates in
/// update_id order, and claims the whole batch before handling any of it (so a crash mid-batch leaves nothing
/// unclaimed below a completed update). The Bot API is the scripted fake of our own port; the rest is the real bot.
/// </summary>
public abstract class PollingConcurrencyTests(DatabaseProvider provider) : ScriptedPollingTest(provider)
{
    private const long Alice = 6_600_001;
    private const long Bob = 6_600_002;
    private static readonly long[] Others = [6_600_003, 6_600_004, 6_600_005, 6_600_006];

    [Fact]
    public async Task Senders_of_one_batch_are_handled_at_once_and_each_senders_updates_in_order()
    {
        // One batch: every sender deposits, then asks for the balance; Alice's and Bob's updates come first.
        var updates = new List<TelegramUpdate>();
        long id = 1_000;
        long[] senders = [Alice, Bob, .. Others];
        foreach (var (sender, index) in senders.Select((s, i) => (s, i)))
        {
            updates.Add(Message(id++, sender, $"/deposit {100 + index}"));
        }

        foreach (var sender in senders)
        {
            updates.Add(Message(id++, sender, "/balance"));
        }

        Api.Hold([.. updates]);

        // Alice's first update waits at a gate until Bob's first one reaches it: handled one at a time, Bob's
        // would never get there, and Alice's wait would run out.
        var gate = new RendezvousGate(Alice, Bob, Database);
        await StartBotAsync(
            new Dictionary<string, string?> { ["Telegram:PollingConcurrency"] = "4" },
            services =>
            {
                services.AddSingleton<IOutboundSender>(new TelegramOutboundSender(Api));
                services.AddSingleton<IUpdateGate>(gate);
            });
        await WaitForAsync(() => senders.All(s => Api.Sent.TryGetValue(s, out var sent) && sent.Count >= 2), TimeSpan.FromSeconds(60));

        var seen = string.Join("; ", Api.Sent.Select(kv => $"{kv.Key}: {string.Join(" | ", kv.Value)}"));
        senders.ShouldAllBe(s => Api.Sent.ContainsKey(s), $"every sender got replies; sent: {seen}");
        gate.Met.ShouldBeTrue("Bob's update was handled while Alice's was still in progress");
        gate.ClaimedWhenAliceArrived.ShouldBe(updates.Count, "the whole batch was claimed before any update of it was handled");
        foreach (var (sender, index) in senders.Select((s, i) => (s, i)))
        {
            var sent = Api.Sent[sender].ToArray();
            sent.Length.ShouldBe(2);
            sent[0].ShouldContain($"{100 + index:0.00}");
            sent[1].ShouldContain($"{100 + index:0.00}", customMessage: $"/balance of {sender} ran after their /deposit: {sent[1]}");
        }

        await using var db = Database.CreateContext();
        (await db.ProcessedUpdates.CountAsync(u => u.CompletedAt != null)).ShouldBe(updates.Count);
        await WaitForAsync(() => Api.Offsets.Contains(id), TimeSpan.FromSeconds(30));
        Api.Offsets.ShouldContain(id, "the next getUpdates confirmed the whole batch");
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition() && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Holds the first update of <paramref name="waiter"/> until the first of <paramref name="other"/> has arrived too.</summary>
    private sealed class RendezvousGate(long waiter, long other, TestDatabase database) : IUpdateGate
    {
        private readonly TaskCompletionSource _otherArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waited;

        public bool Met { get; private set; }

        public int ClaimedWhenAliceArrived { get; private set; }

        public async ValueTask<GateDecision> CheckAsync(UpdateGateContext context, CancellationToken cancellationToken)
        {
            if (context.User.Id.Value == other)
            {
                _otherArrived.TrySetResult();
            }

            if (context.User.Id.Value == waiter && Interlocked.Exchange(ref _waited, 1) == 0)
            {
                await using (var db = database.CreateContext())
                {
                    ClaimedWhenAliceArrived = await db.ProcessedUpdates.CountAsync(cancellationToken);
                }

                try
                {
                    await _otherArrived.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
                    Met = true;
                }
                catch (TimeoutException)
                {
                    Met = false;
                }
            }

            return GateDecision.Allow;
        }
    }
}

public sealed class SqlitePollingConcurrencyTests() : PollingConcurrencyTests(DatabaseProvider.Sqlite);

public sealed class PostgresPollingConcurrencyTests() : PollingConcurrencyTests(DatabaseProvider.Postgres);
