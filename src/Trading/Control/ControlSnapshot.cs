using VantaBot.Trading.Users;

namespace VantaBot.Trading.Control;

/// <summary>An active emergency stop: who set it, when and why, and whether open positions were to be flattened.</summary>
public sealed record EmergencyStop(string Reason, UserId? By, DateTimeOffset At, bool CloseAll);

/// <summary>Maintenance mode: non-admin users get <see cref="Message"/> instead of an answer.</summary>
public sealed record MaintenanceMode(string Message, UserId? By, DateTimeOffset At);

/// <summary>The admin-set switches every instance obeys, as read from the database at <see cref="ReadAt"/>.</summary>
public sealed record ControlSnapshot(EmergencyStop? Stop, MaintenanceMode? Maintenance, DateTimeOffset ReadAt)
{
    public bool IsStopped => Stop is not null;

    public bool InMaintenance => Maintenance is not null;
}
