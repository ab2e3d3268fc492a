using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using VantaBot.Risk;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands;

/// <summary>
/// High-leverage orders waiting for the trader's tap on the confirmation card. A token is bound to the user who
/// was shown the card, expires after <see cref="RiskOptions.ConfirmationTtl"/>, and can be taken once.
/// In-process by design: a restart simply expires every card, which is the safe direction.
/// </summary>
public sealed class PendingConfirmations(TimeProvider time, IOptions<RiskOptions> options)
{
    private readonly ConcurrentDictionary<string, (OpenPositionOrder Order, DateTimeOffset ExpiresAt)> _pending = new(StringComparer.Ordinal);

    public string Add(OpenPositionOrder order)
    {
        Prune();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        _pending[token] = (order, time.GetUtcNow() + options.Value.ConfirmationTtl);
        return token;
    }

    public ConfirmationLookup Take(string token, UserId user)
    {
        if (!_pending.TryGetValue(token, out var entry))
        {
            return new ConfirmationLookup(null, "This confirmation has expired or was already used; nothing was ordered.");
        }

        if (entry.Order.User != user)
        {
            return new ConfirmationLookup(null, "Only the trader who placed this order can confirm it.");
        }

        if (!_pending.TryRemove(token, out entry))
        {
            return new ConfirmationLookup(null, "This confirmation was already used.");
        }

        return entry.ExpiresAt < time.GetUtcNow()
            ? new ConfirmationLookup(null, $"This confirmation expired ({options.Value.ConfirmationTtl.TotalSeconds:0} s); nothing was ordered. Send the order again.")
            : new ConfirmationLookup(entry.Order, null);
    }

    public bool Cancel(string token, UserId user) =>
        _pending.TryGetValue(token, out var entry) && entry.Order.User == user && _pending.TryRemove(token, out _);

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
    }
}

public sealed record ConfirmationLookup(OpenPositionOrder? Order, string? Problem);
