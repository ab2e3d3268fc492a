using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>Append-only. Positive credits the user, negative debits; the balance is their sum.</summary>
public sealed class LedgerEntryEntity
{
    public long Id { get; set; }

    public UserId UserId { get; set; }

    public string Kind { get; set; } = "";

    public long AmountMicros { get; set; }

    /// <summary>Unique per user: a deposit key, or the intent that caused the entry.</summary>
    public string Reference { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
