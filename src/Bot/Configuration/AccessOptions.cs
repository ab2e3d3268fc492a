using System.Globalization;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Configuration;

/// <summary>Settings under <c>Access__*</c>.</summary>
public sealed class AccessOptions
{
    public const string Section = "Access";

    /// <summary>Comma list of Telegram user ids. Super-admins come from here only, never from the database.</summary>
    public string? SuperAdminIds { get; set; }

    /// <summary>The role a user gets on first contact.</summary>
    public Role DefaultRole { get; set; } = Role.Trader;

    /// <summary>
    /// Optional comma list of Telegram user ids allowed to use the bot at all. Empty: everyone may. Configured
    /// super-admins are always allowed.
    /// </summary>
    public string? AllowList { get; set; }

    /// <summary>Null when no allow list is configured.</summary>
    public IReadOnlySet<long>? ParsedAllowList =>
        string.IsNullOrWhiteSpace(AllowList) ? null : ParseIds(AllowList);

    public IReadOnlySet<long> ParsedSuperAdminIds => ParseIds(SuperAdminIds);

    private static HashSet<long> ParseIds(string? ids) =>
        (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture))
            .ToHashSet();
}
