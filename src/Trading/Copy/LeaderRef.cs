using System.Globalization;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Copy;

/// <summary>Who can be followed: an EVM address (its swaps on the configured routers) or a bot trader who opted in.</summary>
public enum LeaderKind
{
    Evm,
    Bot,
}

/// <summary>
/// A leader, as stored and compared: an EVM address in lower case (no checksum in the key, so one address is one
/// leader however it was typed) or a bot trader's Telegram user id.
/// </summary>
public readonly record struct LeaderRef(LeaderKind Kind, string Key)
{
    public static LeaderRef Evm(string address) => new(LeaderKind.Evm, address.ToLowerInvariant());

    public static LeaderRef Bot(UserId user) => new(LeaderKind.Bot, user.Value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The bot trader behind a <see cref="LeaderKind.Bot"/> leader.</summary>
    public UserId? BotUser => Kind == LeaderKind.Bot ? new UserId(long.Parse(Key, CultureInfo.InvariantCulture)) : null;

    /// <summary>
    /// Parses what a trader types after <c>/follow</c>: <c>0x</c> and 40 hex digits for an on-chain wallet, or the
    /// digits of a bot trader's id as <c>/leaders</c> lists it. Mixed-case addresses are checked against their
    /// EIP-55 checksum by the caller (the checksum needs Keccak, which lives in Infrastructure).
    /// </summary>
    public static bool TryParse(string text, out LeaderRef leader, out string problem)
    {
        leader = default;
        problem = "";
        var value = text.Trim();
        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (value.Length != 42 || !value.Skip(2).All(char.IsAsciiHexDigit))
            {
                problem = $"'{Clip(value)}' is not an EVM address: it needs 0x and 40 hex digits.";
                return false;
            }

            leader = Evm(value);
            return true;
        }

        if (value.Length is > 0 and <= 19 && value.All(char.IsAsciiDigit)
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            leader = Bot(new UserId(id));
            return true;
        }

        problem = $"'{Clip(value)}' is neither an EVM address (0x and 40 hex digits) nor a leader id from /leaders.";
        return false;
    }

    public override string ToString() => Kind == LeaderKind.Evm ? Key : "#" + Key;

    private static string Clip(string value) => value.Length <= 48 ? value : value[..47] + "…";
}
