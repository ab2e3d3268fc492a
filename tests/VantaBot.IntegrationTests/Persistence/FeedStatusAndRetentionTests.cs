using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Persistence;

/// <summary>The announced feed statuses (one announcement per change across instances) and processed_updates retention.</summary>
public abstract class FeedStatusAndRetentionTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_status_change_is_reported_once_with_what_it_was()
    {
        await using var db = _database.CreateContext();
        var store = new FeedStatusStore(db);

        (await store.SetAsync("source:pyth", "up", "answering", At, default)).ShouldBe(new VantaBot.Trading.Prices.FeedStatusChange("source:pyth", null, "up", "answering"));
        (await store.SetAsync("source:pyth", "up", "answering", At, default)).ShouldBeNull();
        (await store.SetAsync("source:pyth", "down", "pyth: HTTP 500", At.AddSeconds(10), default)).ShouldBe(new VantaBot.Trading.Prices.FeedStatusChange("source:pyth", "up", "down", "pyth: HTTP 500"));
        (await store.SetAsync("source:pyth", "down", "pyth: HTTP 502", At.AddSeconds(20), default)).ShouldBeNull();
    }

    [Fact]
    public async Task Instances_seeing_the_same_change_announce_it_once()
    {
        await using (var db = _database.CreateContext())
        {
            await new FeedStatusStore(db).SetAsync("pair:ETH/USD", "open", "priced", At, default);
        }

        var changes = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            await using var db = _database.CreateContext();
            return await new FeedStatusStore(db).SetAsync("pair:ETH/USD", "close-only", "no source has a fresh quote", At, default);
        }));

        changes.Count(c => c is not null).ShouldBe(1);
    }

    [Fact]
    public async Task Retention_deletes_old_processed_updates_but_keeps_the_newest()
    {
        await using (var db = _database.CreateContext())
        {
            db.ProcessedUpdates.AddRange(
                new ProcessedUpdateEntity { UpdateId = 1, Kind = "message", ReceivedAt = At.AddDays(-30) },
                new ProcessedUpdateEntity { UpdateId = 2, Kind = "message", ReceivedAt = At.AddDays(-8) },
                new ProcessedUpdateEntity { UpdateId = 3, Kind = "message", ReceivedAt = At.AddDays(-6) });
            await db.SaveChangesAsync();
        }

        await using (var db = _database.CreateContext())
        {
            (await new ProcessedUpdatesPruner(db).PruneAsync(At.AddDays(-7), default)).ShouldBe(2);
            db.ProcessedUpdates.Select(u => u.UpdateId).ToList().ShouldBe([3]);

            // Long quiet: the newest row stays so polling still resumes after it.
            (await new ProcessedUpdatesPruner(db).PruneAsync(At, default)).ShouldBe(0);
            db.ProcessedUpdates.Count().ShouldBe(1);
        }
    }
}

public sealed class SqliteFeedStatusAndRetentionTests() : FeedStatusAndRetentionTests(DatabaseProvider.Sqlite);

public sealed class PostgresFeedStatusAndRetentionTests() : FeedStatusAndRetentionTests(DatabaseProvider.Postgres);
