using System.Text.RegularExpressions;

namespace VantaBot.Bench.Load;

/// <summary>
/// What the bot's first reply to an update says happened, read from its text so refusals and errors are counted,
/// never mistaken for throughput.
/// </summary>
internal static partial class ReplyText
{
    public static string Outcome(string? first) => first switch
    {
        null => "silent",
        var t when t.StartsWith("✅ Opened", StringComparison.Ordinal) => "opened",
        var t when t.StartsWith("✅ Closed", StringComparison.Ordinal) || t.StartsWith("✅ Partly", StringComparison.Ordinal) => "closed",
        var t when t.StartsWith('⏸') => "refused",
        var t when t.StartsWith('❌') => "rejected",
        var t when t.StartsWith("Something went wrong", StringComparison.Ordinal) => "failed",
        _ => "replied",
    };

    /// <summary>The 12-character id from an "Opened" reply's "Position …" line.</summary>
    public static string? OpenedPositionId(string? first) =>
        first is { } t && Outcome(t) == "opened" && PositionLine().Match(t) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"^Position (\S+)", RegexOptions.Multiline)]
    private static partial Regex PositionLine();
}
