namespace VantaBot.Infrastructure.Evm.Abi;

/// <summary>Splits "name(params) [modifiers] [returns (outputs)]", the human-readable form functions and events share.</summary>
internal static class AbiSignature
{
    public static (string Name, string Inputs, string Tail) Split(string text, string keyword)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.StartsWith(keyword + " ", StringComparison.Ordinal))
        {
            text = text[(keyword.Length + 1)..].TrimStart();
        }

        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0)
        {
            throw new FormatException($"'{text}' is not 'name(parameters)'");
        }

        var name = text[..open].Trim();
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$') || char.IsAsciiDigit(name[0]))
        {
            throw new FormatException($"'{name}' is not a valid {keyword} name");
        }

        var close = MatchingParenthesis(text, open);
        return (name, text[(open + 1)..close], text[(close + 1)..].Trim());
    }

    public static int MatchingParenthesis(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')' && --depth == 0)
            {
                return i;
            }
        }

        throw new FormatException($"'{text}' has an unmatched '('");
    }
}
