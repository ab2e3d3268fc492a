using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Limits;
using VantaBot.Infrastructure.Persistence.Outbox;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Limits;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Limits;

/// <summary>The Limits migration's tables round-trip through their stores on both providers.</summary>
public abstract class LimitsPersistenceTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly UserId User = new(4242);
    private static readonly UserId AdminId = new(1);
    private readonly ManualClock _clock = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Overrides_are_set_replaced_and_reset_per_user_and_limit()
    {
        await using var db = _database.CreateContext();
        var store = new RateLimitOverrideStore(db, TestCaches.Uncached(), _clock);
        await store.SetAsync(User, RateLimitName.PositionOpens, 10, AdminId, default);
        await store.SetAsync(User, RateLimitName.VolumeUsd, 0, AdminId, default);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await store.SetAsync(User, RateLimitName.PositionOpens, 2, new UserId(2), default);
        await store.SetAsync(new UserId(7), RateLimitName.Messages, 100, AdminId, default);

        var overrides = (await store.GetAsync(User, default)).OrderBy(o => o.Limit).ToList();
        overrides.Count.ShouldBe(2);
        overrides[0].ShouldBe(new RateLimitOverride(User, RateLimitName.PositionOpens, 2, new UserId(2), _clock.GetUtcNow()));
        overrides[1].Limit.ShouldBe(RateLimitName.VolumeUsd);
        overrides[1].Value.ShouldBe(0);
        (await store.CountAsync(default)).ShouldBe(3);

        await store.SetAsync(User, RateLimitName.PositionOpens, null, AdminId, default);
        (await store.GetAsync(User, default)).Select(o => o.Limit).ShouldBe([RateLimitName.VolumeUsd]);
    }

    [Fact]
    public async Task Outbox_rows_are_unique_by_key_claimed_once_and_marked_delivered()
    {
        await using (var db = _database.CreateContext())
        {
            OutboxWriter.Add(db, new OutboxNotice("trade:1:update:5", 1, "filled"), _clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        await using (var db = _database.CreateContext())
        {
            OutboxWriter.Add(db, new OutboxNotice("trade:1:update:5", 1, "filled again"), _clock.GetUtcNow());
            await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using var first = _database.CreateContext();
        await using var second = _database.CreateContext();
        var relayA = new OutboxStore(first, _clock);
        var relayB = new OutboxStore(second, _clock);
        (await relayA.ClaimDueAsync(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), 10, default)).ShouldBeEmpty("still inside the grace");

        _clock.Advance(TimeSpan.FromSeconds(31));
        var claims = await Task.WhenAll(
            relayA.ClaimDueAsync(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), 10, default),
            relayB.ClaimDueAsync(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), 10, default));
        var claimed = claims.SelectMany(c => c).ToList().ShouldHaveSingleItem();
        claimed.Text.ShouldBe("filled");
        claimed.Attempts.ShouldBe(1);

        (await relayA.MarkDeliveredAsync("trade:1:update:5", default)).ShouldBeTrue();
        (await relayA.MarkDeliveredAsync("trade:1:update:5", default)).ShouldBeFalse();
        (await relayA.MarkDeliveredAsync("trade:1:no-such-row", default)).ShouldBeFalse();
        (await relayA.CountUndeliveredAsync(default)).ShouldBe(0);
        _clock.Advance(TimeSpan.FromHours(1));
        (await relayB.ClaimDueAsync(TimeSpan.Zero, TimeSpan.FromMinutes(5), 10, default)).ShouldBeEmpty();
    }
}

public sealed class SqliteLimitsPersistenceTests() : LimitsPersistenceTests(DatabaseProvider.Sqlite);

public sealed class PostgresLimitsPersistenceTests() : LimitsPersistenceTests(DatabaseProvider.Postgres);
