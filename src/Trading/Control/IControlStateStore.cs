namespace VantaBot.Trading.Control;

/// <summary>The persisted switches, shared by every instance through the database.</summary>
public interface IControlStateStore
{
    /// <summary>Reads both switches. An unreadable stop record reads as an active stop: the safe direction.</summary>
    Task<ControlSnapshot> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Sets the stop, or lifts it with null.</summary>
    Task SetStopAsync(EmergencyStop? stop, CancellationToken cancellationToken);

    /// <summary>Turns maintenance on, or off with null.</summary>
    Task SetMaintenanceAsync(MaintenanceMode? maintenance, CancellationToken cancellationToken);
}
