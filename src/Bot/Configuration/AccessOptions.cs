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

    public IReadOnlySet<long> ParsedSuperAdminIds =>
        (SuperAdminIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture))
            .ToHashSet();
}
