using System.Globalization;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// The id and hash of the audit log's last row, kept in <c>system_settings</c> and moved in the same transaction
/// as every append. The hash chain shows an edited or removed row in the middle; the head shows rows removed
/// from the end.
/// </summary>
public sealed record AuditHead(long Id, string Hash)
{
    public const string SettingKey = "audit_head";

    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{Id}:{Hash}");

    public static AuditHead? Parse(string? value)
    {
        var colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 && long.TryParse(value![..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new AuditHead(id, value[(colon + 1)..])
            : null;
    }
}
