using System.Text.RegularExpressions;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Commands.Arguments;

/// <summary>
/// Finds the trader's open position named in chat by the 12 hex digits /positions shows (the random tail of its
/// version-7 id). Only the trader's own open positions are searched, so another user's id never resolves.
/// </summary>
public static partial class PositionArgument
{
    public const int Length = 12;

    public static bool LooksValid(string text) => ShortId().IsMatch(text);

    /// <returns>The position, or null with <paramref name="error"/> naming the problem.</returns>
    public static async Task<(Position? Position, string Error)> ResolveAsync(
        IPositionStore positions, UserId user, string text, CancellationToken cancellationToken)
    {
        if (!LooksValid(text))
        {
            return (null, $"'{NumberArgument.Shorten(text)}' is not a position id (the {Length} letters and digits /positions shows, e.g. 3f2a9c01b7de).");
        }

        var position = await positions.FindOpenByShortIdAsync(user, text.ToLowerInvariant(), cancellationToken);
        return position is null
            ? (null, $"You have no open position {text.ToLowerInvariant()}. Send /positions to see their ids.")
            : (position, "");
    }

    [GeneratedRegex("^[0-9a-fA-F]{12}$")]
    private static partial Regex ShortId();
}
