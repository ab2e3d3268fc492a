using System.Text.Json;
using VantaBot.Trading.Control;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>Stop and maintenance switches as JSON rows of <c>system_settings</c>; no row means off.</summary>
public sealed class ControlStateStore(SystemSettingStore settings, TimeProvider time) : IControlStateStore
{
    public const string StopKey = "emergency_stop";
    public const string MaintenanceKey = "maintenance";

    public async Task<ControlSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var rows = await settings.GetManyAsync([StopKey, MaintenanceKey], cancellationToken);
        var now = time.GetUtcNow();
        return new ControlSnapshot(ReadStop(rows.GetValueOrDefault(StopKey), now), ReadMaintenance(rows.GetValueOrDefault(MaintenanceKey), now), now);
    }

    public Task SetStopAsync(EmergencyStop? stop, CancellationToken cancellationToken) =>
        stop is null
            ? settings.RemoveAsync(StopKey, cancellationToken)
            : settings.SetAsync(StopKey, JsonSerializer.Serialize(new SwitchRow(stop.Reason, stop.By?.Value, stop.At, stop.CloseAll)), cancellationToken);

    public Task SetMaintenanceAsync(MaintenanceMode? maintenance, CancellationToken cancellationToken) =>
        maintenance is null
            ? settings.RemoveAsync(MaintenanceKey, cancellationToken)
            : settings.SetAsync(MaintenanceKey, JsonSerializer.Serialize(new SwitchRow(maintenance.Message, maintenance.By?.Value, maintenance.At, false)), cancellationToken);

    private static EmergencyStop? ReadStop(string? json, DateTimeOffset now)
    {
        if (json is null)
        {
            return null;
        }

        // A row that exists but cannot be read is still a stop: halting wrongly is recoverable, trading wrongly is not.
        return TryRead(json) is { } row
            ? new EmergencyStop(row.Text, row.By is { } by ? new UserId(by) : null, row.At, row.CloseAll)
            : new EmergencyStop("the stored stop record is unreadable; treated as active", null, now, false);
    }

    private static MaintenanceMode? ReadMaintenance(string? json, DateTimeOffset now)
    {
        if (json is null)
        {
            return null;
        }

        return TryRead(json) is { } row
            ? new MaintenanceMode(row.Text, row.By is { } by ? new UserId(by) : null, row.At)
            : new MaintenanceMode("VantaBot is under maintenance; please try again later.", null, now);
    }

    private static SwitchRow? TryRead(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SwitchRow>(json) is { Text: not null } row ? row : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record SwitchRow(string Text, long? By, DateTimeOffset At, bool CloseAll);
}
