using VantaBot.Bot.Commands.Arguments;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Trading.Copy;

namespace VantaBot.Bot.Copy.Commands;

/// <summary>
/// The leader a trader names: an EVM address (mixed case must carry a valid EIP-55 checksum, so a mistyped
/// address is refused rather than followed) or a bot trader's id as /leaders shows it, with or without its '#'.
/// </summary>
public static class LeaderArgument
{
    public const string Form = "an EVM address (0x and 40 hex digits) or a leader id from /leaders";

    public static bool TryParse(string text, out LeaderRef leader, out string error)
    {
        var value = text.Trim();
        if (value.Length > 1 && value[0] == '#' && char.IsAsciiDigit(value[1]))
        {
            value = value[1..];
        }

        if (!LeaderRef.TryParse(value, out leader, out error))
        {
            return false;
        }

        if (leader.Kind == LeaderKind.Evm && !EvmAddress.TryParse(value, out _, out var problem))
        {
            error = $"'{NumberArgument.Shorten(value)}': {problem}";
            leader = default;
            return false;
        }

        return true;
    }
}
