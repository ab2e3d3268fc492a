using VantaBot.Trading.Users;

namespace VantaBot.Trading.DailyLoss;

/// <summary>
/// The equity a user's trading day started with, for the daily-loss rule. The reset job snapshots every account
/// at 00:00 UTC; a user without a snapshot yet (first trade of their first day, or the job still catching up)
/// gets one now, from the equity the trade path just computed, so the day's start is fixed from then on.
/// </summary>
public sealed class DayStartEquity(IDailyEquityStore store, TimeProvider time)
{
    public async Task<decimal> ForTodayAsync(UserId user, decimal currentEquity, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        if (await store.FindAsync(user, day, cancellationToken) is { } stored)
        {
            return stored;
        }

        // Insert-if-absent: a concurrent order or the reset job may store first; theirs is then the day's start.
        if (await store.TryAddAsync(user, day, currentEquity, now, cancellationToken))
        {
            return currentEquity;
        }

        return await store.FindAsync(user, day, cancellationToken) ?? currentEquity;
    }
}
