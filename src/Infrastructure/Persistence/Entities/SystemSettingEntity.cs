namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>Admin-set global state (execution mode, later stop and maintenance flags) as key/value rows.</summary>
public sealed class SystemSettingEntity
{
    public string Key { get; set; } = "";

    public string Value { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}
