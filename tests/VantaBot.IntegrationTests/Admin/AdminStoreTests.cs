using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Risk;
using VantaBot.Trading.Control;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Admin;

/// <summary>The admin migration's tables and the switches round-trip on both databases.</summary>
public abstract class AdminStoreTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 10, 30, 15, 123, TimeSpan.Zero));
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Stop_and_maintenance_switches_round_trip_and_clear()
    {
        await using var db = _database.CreateContext();
        var store = new ControlStateStore(new SystemSettingStore(db, _clock), _clock);
        (await store.ReadAsync(default)).ShouldBe(new ControlSnapshot(null, null, _clock.GetUtcNow()));

        var stop = new EmergencyStop("venue outage", new UserId(7), _clock.GetUtcNow(), CloseAll: true);
        var maintenance = new MaintenanceMode("back soon", new UserId(8), _clock.GetUtcNow());
        await store.SetStopAsync(stop, default);
        await store.SetMaintenanceAsync(maintenance, default);
        var read = await store.ReadAsync(default);
        read.Stop.ShouldBe(stop);
        read.Maintenance.ShouldBe(maintenance);

        await store.SetStopAsync(null, default);
        await store.SetMaintenanceAsync(null, default);
        (await store.ReadAsync(default)).ShouldBe(new ControlSnapshot(null, null, _clock.GetUtcNow()));
    }

    [Fact]
    public async Task An_unreadable_stop_row_reads_as_an_active_stop()
    {
        await using var db = _database.CreateContext();
        var settings = new SystemSettingStore(db, _clock);
        await settings.SetAsync(ControlStateStore.StopKey, "{not json", default);
        (await new ControlStateStore(settings, _clock).ReadAsync(default)).IsStopped.ShouldBeTrue();
    }

    [Fact]
    public async Task Execution_mode_is_written_and_read_back()
    {
        await using var db = _database.CreateContext();
        var writer = new ExecutionModeWriter(new SystemSettingStore(db, _clock));
        await writer.SetAsync(ExecutionMode.Live, default);
        (await new ExecutionModeStore(db).GetAsync(default)).ShouldBe(ExecutionMode.Live);
        await writer.SetAsync(ExecutionMode.Dry, default);
        (await new ExecutionModeStore(db).GetAsync(default)).ShouldBe(ExecutionMode.Dry);
    }

    [Fact]
    public async Task Live_opt_ins_toggle_and_are_idempotent()
    {
        await using var db = _database.CreateContext();
        var store = new LiveOptInStore(db, _clock);
        (await store.IsOptedInAsync(new UserId(5), default)).ShouldBeFalse();
        await store.SetAsync(new UserId(5), true, default);
        await store.SetAsync(new UserId(5), true, default);
        (await store.IsOptedInAsync(new UserId(5), default)).ShouldBeTrue();
        await store.SetAsync(new UserId(5), false, default);
        (await store.IsOptedInAsync(new UserId(5), default)).ShouldBeFalse();
    }

    [Fact]
    public async Task Heartbeats_upsert_and_only_recent_instances_are_seen()
    {
        await using var db = _database.CreateContext();
        var store = new InstanceHeartbeatStore(db);
        var now = _clock.GetUtcNow();
        await store.BeatAsync(new InstanceSeen("a:1:x", "a", "1.0", now.AddHours(-2), now.AddHours(-1)), default);
        await store.BeatAsync(new InstanceSeen("b:2:y", "b", "1.0", now.AddMinutes(-5), now.AddSeconds(-20)), default);
        await store.BeatAsync(new InstanceSeen("b:2:y", "b", "1.0", now.AddMinutes(-5), now), default);

        var seen = await store.SeenSinceAsync(now.AddSeconds(-30), default);
        seen.ShouldHaveSingleItem().ShouldBe(new InstanceSeen("b:2:y", "b", "1.0", now.AddMinutes(-5), now));
        (await store.PruneAsync(now.AddMinutes(-30), default)).ShouldBe(1);
    }

    [Fact]
    public async Task Role_changes_are_compare_and_set()
    {
        await using var db = _database.CreateContext();
        var roles = new UserRoleStore(db, TestCaches.Uncached(), _clock);
        (await roles.TryChangeRoleAsync(new UserId(3), null, Role.Operator, "3", default)).ShouldBeTrue();
        (await roles.TryChangeRoleAsync(new UserId(3), null, Role.Trader, "3", default)).ShouldBeFalse();
        (await roles.TryChangeRoleAsync(new UserId(3), Role.Trader, Role.Viewer, "3", default)).ShouldBeFalse();
        (await roles.TryChangeRoleAsync(new UserId(3), Role.Operator, Role.Admin, "3", default)).ShouldBeTrue();
        (await roles.ListAtLeastAsync(Role.Admin, default)).ShouldHaveSingleItem().Id.ShouldBe(new UserId(3));
    }
}

public sealed class SqliteAdminStoreTests() : AdminStoreTests(DatabaseProvider.Sqlite);

public sealed class PostgresAdminStoreTests() : AdminStoreTests(DatabaseProvider.Postgres);
