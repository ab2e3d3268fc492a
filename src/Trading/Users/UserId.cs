namespace VantaBot.Trading.Users;

/// <summary>A trader's identity: their Telegram user id (taken from the update's <c>from.id</c> only).</summary>
public readonly record struct UserId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
