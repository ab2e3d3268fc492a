using VantaBot.Trading.Users;

namespace VantaBot.Trading.Ledger;

/// <summary>Balance is the sum of the user's ledger entries; held is the sum of active holds.</summary>
public sealed record AccountSnapshot(UserId User, decimal Balance, decimal Held)
{
    public decimal Available => Balance - Held;
}
