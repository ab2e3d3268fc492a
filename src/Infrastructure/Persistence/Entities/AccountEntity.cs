using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>
/// Running totals per user, kept in step with the entries and holds inside the same transactions. The hold
/// check is one conditional UPDATE on this row, which makes check-and-hold atomic on both databases.
/// </summary>
public sealed class AccountEntity
{
    public UserId UserId { get; set; }

    public long BalanceMicros { get; set; }

    public long HeldMicros { get; set; }
}
