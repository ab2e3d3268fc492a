namespace VantaBot.Trading.Perps;

/// <summary>An open or closed perpetual position.</summary>
public readonly record struct PositionId(Guid Value)
{
    public static PositionId New() => new(Guid.CreateVersion7());

    /// <summary>The last 12 hex digits: random in a version-7 GUID (the first 12 are its timestamp).</summary>
    public override string ToString() => Value.ToString("N")[^12..];
}

/// <summary>A write-ahead order intent; also the client order id and idempotency key at the venue.</summary>
public readonly record struct IntentId(Guid Value)
{
    public static IntentId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString("N");
}
