using System.Diagnostics.CodeAnalysis;

namespace VantaBot.Bot.Pipeline;

/// <summary>A parsed "/command@bot arg1 arg2" message.</summary>
public sealed record CommandLine(string Name, string? AddressedTo, IReadOnlyList<string> Arguments, string ArgumentText)
{
    /// <summary>Longer messages are refused before parsing; Telegram itself caps text at 4096 characters.</summary>
    public const int MaxLength = 4096;

    private const int MaxNameLength = 32;

    public static bool TryParse(string? text, [NotNullWhen(true)] out CommandLine? command)
    {
        command = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || text[0] != '/')
        {
            return false;
        }

        var firstSpace = IndexOfWhiteSpace(text);
        var head = firstSpace < 0 ? text[1..] : text[1..firstSpace];
        var at = head.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? head : head[..at];
        var addressedTo = at < 0 ? null : head[(at + 1)..];

        // Checked before lower-casing: some non-ASCII letters (the Kelvin sign) lower-case to ASCII ones.
        if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return false;
        }

        name = name.ToLowerInvariant();

        var argumentText = firstSpace < 0 ? "" : text[(firstSpace + 1)..].Trim();
        var arguments = argumentText.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        command = new CommandLine(name, addressedTo, arguments, argumentText);
        return true;
    }

    private static int IndexOfWhiteSpace(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
