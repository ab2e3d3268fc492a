using System.Collections.Concurrent;
using System.Security.Cryptography;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin;

public enum LiveConfirmation
{
    Confirmed,

    /// <summary>Older than <see cref="LiveSwitchConfirmations.Ttl"/>, unknown (e.g. asked on another instance or before a restart), or already used.</summary>
    Expired,

    /// <summary>Someone other than the super-admin who asked: nothing happens, the card stays for its owner.</summary>
    NotOwner,
}

/// <summary>
/// The second step of switching to LIVE: a one-shot token bound to the super-admin who asked, valid for
/// <see cref="Ttl"/>. In-process on purpose: a restart, or a tap that reaches another instance, finds nothing
/// and the mode stays DRY — the safe direction.
/// </summary>
public sealed class LiveSwitchConfirmations(TimeProvider time)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, (UserId Owner, DateTimeOffset ExpiresAt)> _pending = new(StringComparer.Ordinal);

    public string Add(UserId owner)
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _pending)
        {
            if (entry.ExpiresAt < now)
            {
                _pending.TryRemove(key, out _);
            }
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _pending[token] = (owner, now + Ttl);
        return token;
    }

    /// <summary>Takes the token when <paramref name="user"/> owns it and it is still valid; a second take finds it gone.</summary>
    public LiveConfirmation Take(string token, UserId user)
    {
        if (!_pending.TryGetValue(token, out var entry))
        {
            return LiveConfirmation.Expired;
        }

        if (entry.Owner != user)
        {
            return LiveConfirmation.NotOwner;
        }

        if (!_pending.TryRemove(token, out entry))
        {
            return LiveConfirmation.Expired;
        }

        return time.GetUtcNow() <= entry.ExpiresAt ? LiveConfirmation.Confirmed : LiveConfirmation.Expired;
    }

    /// <summary>Drops the owner's token; false when it was not theirs or is gone.</summary>
    public bool Cancel(string token, UserId user) =>
        _pending.TryGetValue(token, out var entry) && entry.Owner == user && _pending.TryRemove(token, out _);
}
