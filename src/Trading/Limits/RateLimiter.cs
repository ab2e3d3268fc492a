using System.Globalization;
using Microsoft.Extensions.Options;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Limits;

/// <summary>
/// Turns actions into charges against the user's limits (defaults or admin overrides) and asks the store once per
/// action, all charges together: an open either counts against every limit it touches or against none.
/// What counts where:
/// <list type="bullet">
/// <item>manual perp open: position opens, trades, volume;</item>
/// <item>copied open: copy-trade executions (instead of position opens), trades, volume;</item>
/// <item>swap: trades, volume (and copy-trade executions when copied);</item>
/// <item>close: nothing — a limit must never keep a trader inside a losing position;</item>
/// <item>a command or button press: messages.</item>
/// </list>
/// Volume is counted in US cents so the store works in whole units.
/// </summary>
public sealed class RateLimiter(IRateLimitStore store, IRateLimitOverrides overrides, IOptions<LimitsOptions> options, TimeProvider time)
{
    private const long CentsPerUsd = 100;

    public string StoreKind => store.Kind;

    public Task<RateLimitDecision> CheckTradeAsync(TradeAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var costs = new List<(RateLimitName Limit, long Cost)>();
        switch (attempt.Action)
        {
            case TradeAction.ClosePerp:
                return Task.FromResult(RateLimitDecision.Allow);
            case TradeAction.OpenPerp:
                costs.Add((attempt.IsCopy ? RateLimitName.CopyExecutions : RateLimitName.PositionOpens, 1));
                break;
            case TradeAction.Swap when attempt.IsCopy:
                costs.Add((RateLimitName.CopyExecutions, 1));
                break;
        }

        costs.Add((RateLimitName.Trades, 1));
        costs.Add((RateLimitName.VolumeUsd, (long)Math.Ceiling(Math.Max(attempt.NotionalUsd, 0m) * CentsPerUsd)));
        return CheckAsync(attempt.User, costs, cancellationToken);
    }

    public Task<RateLimitDecision> CheckMessageAsync(UserId user, CancellationToken cancellationToken) =>
        CheckAsync(user, [(RateLimitName.Messages, 1)], cancellationToken);

    /// <summary>Every limit of the user with its usage now; throws <see cref="RateLimitStoreUnavailableException"/> when the store is down.</summary>
    public async Task<IReadOnlyList<LimitStatus>> GetStatusAsync(UserId user, CancellationToken cancellationToken)
    {
        var limits = await EffectiveLimitsAsync(user, cancellationToken);
        var active = limits.Where(l => l.Value > 0).ToList();
        var usage = await WithTimeoutAsync(store.PeekAsync([.. active.Select(l => Charge(user, l.Limit, l.Value, 0))], cancellationToken), cancellationToken);
        var byLimit = active.Select((l, i) => (l.Limit, Usage: usage[i])).ToDictionary(x => x.Limit, x => x.Usage);
        return limits.Select(l =>
        {
            var used = byLimit.GetValueOrDefault(l.Limit) ?? new RateLimitUsage(0, TimeSpan.Zero);
            return new LimitStatus(l.Limit, l.Value, l.IsOverride, LimitsOptions.PeriodOf(l.Limit), ToDisplayUnits(l.Limit, used.Used), used.FullyFreeIn);
        }).ToList();
    }

    private async Task<RateLimitDecision> CheckAsync(UserId user, IReadOnlyList<(RateLimitName Limit, long Cost)> costs, CancellationToken cancellationToken)
    {
        IReadOnlyList<(RateLimitName Limit, long Value, bool IsOverride)> limits;
        try
        {
            limits = await EffectiveLimitsAsync(user, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Overrides live in the database; not knowing them is the same as not knowing the budget.
            return new RateLimitDecision.StoreUnavailable($"limit overrides unreadable ({ex.GetType().Name})");
        }

        var charges = new List<RateLimitCharge>(costs.Count);
        var names = new List<RateLimitName>(costs.Count);
        foreach (var (name, cost) in costs)
        {
            var value = limits.Single(l => l.Limit == name).Value;
            var units = ToStoreUnits(name, value);
            if (units == 0)
            {
                return new RateLimitDecision.Limited(name, null, $"Your {name.Describe()} limit is set to 0 by an admin; ask an admin to lift it.");
            }

            if (cost > units)
            {
                return new RateLimitDecision.Limited(
                    name, null, $"This order alone ({FormatAmount(name, cost)}) is above your {name.Describe()} limit of {FormatLimit(name, value)}.");
            }

            charges.Add(Charge(user, name, value, cost));
            names.Add(name);
        }

        RateLimitVerdict verdict;
        try
        {
            verdict = await WithTimeoutAsync(store.AcquireAsync(charges, cancellationToken), cancellationToken);
        }
        catch (RateLimitStoreUnavailableException ex)
        {
            return new RateLimitDecision.StoreUnavailable(ex.Message);
        }

        if (verdict.Allowed)
        {
            return RateLimitDecision.Allow;
        }

        var refused = names[verdict.RefusedIndex];
        var limit = limits.Single(l => l.Limit == refused).Value;
        var wait = RoundUpToSecond(verdict.RetryAfter);
        var at = (time.GetUtcNow() + wait).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return new RateLimitDecision.Limited(
            refused, wait, $"Rate limit reached: {refused.Describe()} {FormatLimit(refused, limit)}. Frees up in {FormatWait(wait)} (at {at} UTC).");
    }

    private async Task<IReadOnlyList<(RateLimitName Limit, long Value, bool IsOverride)>> EffectiveLimitsAsync(UserId user, CancellationToken cancellationToken)
    {
        var set = (await overrides.GetAsync(user, cancellationToken)).ToDictionary(o => o.Limit, o => o.Value);
        return RateLimitNames.All
            .Select(name => set.TryGetValue(name, out var value) ? (name, value, true) : (name, options.Value.DefaultFor(name), false))
            .ToList();
    }

    private async Task<T> WithTimeoutAsync<T>(Task<T> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.WaitAsync(options.Value.StoreTimeout, time, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new RateLimitStoreUnavailableException($"the {store.Kind} limiter store did not answer within {options.Value.StoreTimeout.TotalMilliseconds:0} ms", ex);
        }
    }

    private RateLimitCharge Charge(UserId user, RateLimitName name, long value, long cost) =>
        // The user id in braces is a Redis Cluster hash tag: all of a user's keys share a slot, so one script may touch them all.
        new($"{options.Value.KeyPrefix}:{{{user.Value.ToString(CultureInfo.InvariantCulture)}}}:{name.Code()}", ToStoreUnits(name, value), LimitsOptions.PeriodOf(name), cost);

    private static long ToStoreUnits(RateLimitName name, long value) => name == RateLimitName.VolumeUsd ? value * CentsPerUsd : value;

    private static long ToDisplayUnits(RateLimitName name, long units) => name == RateLimitName.VolumeUsd ? (units + CentsPerUsd - 1) / CentsPerUsd : units;

    public static string FormatLimit(RateLimitName name, long value) =>
        name == RateLimitName.VolumeUsd
            ? $"{value.ToString("#,0", CultureInfo.InvariantCulture)} USD per {PeriodWord(name)}"
            : $"{value.ToString(CultureInfo.InvariantCulture)} per {PeriodWord(name)}";

    public static string PeriodWord(RateLimitName name) => LimitsOptions.PeriodOf(name) switch
    {
        var p when p == TimeSpan.FromDays(1) => "day",
        var p when p == TimeSpan.FromHours(1) => "hour",
        _ => "minute",
    };

    private static string FormatAmount(RateLimitName name, long cost) =>
        name == RateLimitName.VolumeUsd
            ? $"{(cost / (decimal)CentsPerUsd).ToString("#,0.##", CultureInfo.InvariantCulture)} USD"
            : cost.ToString(CultureInfo.InvariantCulture);

    private static TimeSpan RoundUpToSecond(TimeSpan wait) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds)));

    public static string FormatWait(TimeSpan wait) => wait switch
    {
        { TotalSeconds: < 60 } => $"{wait.TotalSeconds:0} s",
        { TotalHours: < 1, Seconds: 0 } => $"{wait.Minutes} min",
        { TotalHours: < 1 } => $"{wait.Minutes} min {wait.Seconds} s",
        { Minutes: 0 } => $"{(int)wait.TotalHours} h",
        _ => $"{(int)wait.TotalHours} h {wait.Minutes} min",
    };
}
