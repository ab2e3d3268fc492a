using System.Text.RegularExpressions;

namespace VantaBot.Trading.Audit;

/// <summary>
/// Masks what looks like a secret before text reaches the audit log: bot tokens, private keys (64 hex digits,
/// with or without 0x), long base58 strings (Solana secret keys) and key=value pairs whose key names a secret.
/// Over-masking an odd argument is the acceptable cost of never storing a key.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "[redacted]";

    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var redacted = NamedSecret().Replace(text, m => m.Groups["key"].Value + m.Groups["sep"].Value + Mask);
        redacted = BotToken().Replace(redacted, Mask);
        redacted = HexKey().Replace(redacted, Mask);
        return Base58Key().Replace(redacted, Mask);
    }

    [GeneratedRegex(@"(?<key>\b(?:password|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|privkey|mnemonic|seed)\w*)(?<sep>\s*[=:]\s*)\S+", RegexOptions.IgnoreCase)]
    private static partial Regex NamedSecret();

    [GeneratedRegex(@"\b\d{5,20}:[A-Za-z0-9_-]{30,}")]
    private static partial Regex BotToken();

    [GeneratedRegex(@"\b(?:0x)?[0-9a-fA-F]{64}\b")]
    private static partial Regex HexKey();

    [GeneratedRegex(@"\b[1-9A-HJ-NP-Za-km-z]{80,}\b")]
    private static partial Regex Base58Key();
}
