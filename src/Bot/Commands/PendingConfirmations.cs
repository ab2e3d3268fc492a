using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using VantaBot.Risk;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

/// <summary>High-leverage orders waiting for the trader's tap, for <see cref="RiskOptions.ConfirmationTtl"/>.</summary>
public sealed class PendingConfirmations(TimeProvider time, IOptions<RiskOptions> options)
    : PendingCards<OpenPositionOrder>(time, () => options.Value.ConfirmationTtl, order => order.User);

/// <summary>
/// Orders waiting for the trader's tap on a confirmation card. A token is bound to the user who was shown the card,
/// expires after the TTL, and can be taken once. In-process by design: a restart simply expires every card, which
/// is the safe direction.
/// </summary>
public abstract class PendingCards<TOrder>(TimeProvider time, Func<TimeSpan> ttl, Func<TOrder, UserId> ownerOf)
    where TOrder : class
{
    private readonly ConcurrentDictionary<string, (TOrder Order, DateTimeOffset ExpiresAt)> _pending = new(StringComparer.Ordinal);

    // Cards already confirmed or cancelled, kept until they would have expired, so a late second tap is told
    // "already used" instead of having the card's result overwritten.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    public TimeSpan Ttl => ttl();

    public string Add(TOrder order)
    {
        Prune();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        _pending[token] = (order, time.GetUtcNow() + ttl());
        return token;
    }

    public ConfirmationLookup<TOrder> Take(string token, UserId user)
    {
        if (!_pending.TryGetValue(token, out var entry))
        {
            return _used.ContainsKey(token)
                ? Failed(ConfirmationProblem.AlreadyUsed, "This card was already used; nothing more was ordered.")
                : Failed(ConfirmationProblem.Expired, "This confirmation has expired or was already used; nothing was ordered.");
        }

        if (ownerOf(entry.Order) != user)
        {
            return Failed(ConfirmationProblem.NotOwner, "Only the trader who placed this order can confirm it.");
        }

        if (!_pending.TryRemove(token, out entry))
        {
            return Failed(ConfirmationProblem.AlreadyUsed, "This card was already used; nothing more was ordered.");
        }

        if (entry.ExpiresAt < time.GetUtcNow())
        {
            return Failed(
                ConfirmationProblem.Expired,
                $"This confirmation expired ({ttl().TotalSeconds:0} s); nothing was ordered. Send the order again.");
        }

        _used[token] = entry.ExpiresAt;
        return new ConfirmationLookup<TOrder>(entry.Order, ConfirmationProblem.None, null);
    }

    public CancelResult Cancel(string token, UserId user)
    {
        if (!_pending.TryGetValue(token, out var entry))
        {
            return _used.ContainsKey(token) ? CancelResult.AlreadyUsed : CancelResult.Expired;
        }

        if (ownerOf(entry.Order) != user)
        {
            return CancelResult.NotOwner;
        }

        if (!_pending.TryRemove(token, out _))
        {
            return CancelResult.AlreadyUsed;
        }

        _used[token] = entry.ExpiresAt;
        return CancelResult.Cancelled;
    }

    private static ConfirmationLookup<TOrder> Failed(ConfirmationProblem problem, string message) => new(null, problem, message);

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (token, entry) in _pending)
        {
            if (entry.ExpiresAt < now)
            {
                _pending.TryRemove(token, out _);
            }
        }

        foreach (var (token, expiresAt) in _used)
        {
            if (expiresAt < now)
            {
                _used.TryRemove(token, out _);
            }
        }
    }
}

/// <summary>Why a card could not be taken; decides whether the card's text is replaced or only a toast is shown.</summary>
public enum ConfirmationProblem
{
    None,

    /// <summary>Expired or unknown: the card is replaced so it cannot be pressed again.</summary>
    Expired,

    /// <summary>A second tap: the card already shows the first tap's result, which must stay.</summary>
    AlreadyUsed,

    /// <summary>Someone else's card: only a toast, the owner's card stays as it is.</summary>
    NotOwner,
}

public enum CancelResult
{
    Cancelled,
    Expired,
    AlreadyUsed,
    NotOwner,
}

public sealed record ConfirmationLookup<TOrder>(TOrder? Order, ConfirmationProblem Problem, string? Message)
    where TOrder : class;
