namespace VantaBot.Trading.Prices;

/// <summary>
/// The last status announced for each feed subject ("source:pyth" up/down, "pair:ETH/USD" close-only/open),
/// shared by every instance so a change is announced once, whichever instance probed it.
/// </summary>
public interface IFeedStatusStore
{
    /// <summary>
    /// Records <paramref name="status"/> for <paramref name="subject"/>. Returns the previous status when this call
    /// changed it (null previous for a first record), or no change when it was already so or another instance
    /// recorded the same change first.
    /// </summary>
    Task<FeedStatusChange?> SetAsync(string subject, string status, string detail, DateTimeOffset at, CancellationToken cancellationToken);
}

public sealed record FeedStatusChange(string Subject, string? Previous, string Current, string Detail);
