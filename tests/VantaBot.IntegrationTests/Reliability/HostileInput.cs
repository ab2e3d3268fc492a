using System.Globalization;
using System.Text;
using VantaBot.Bot.Admin;
using VantaBot.Bot.Commands.Arguments;
using VantaBot.Bot.Limits;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Limits;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Reliability;

/// <summary>A fuzz user: their Telegram id, stored role, and the short ids of their own open positions.</summary>
public sealed record FuzzUser(long Id, Role Role, IReadOnlyList<string> OwnPositions);

/// <summary>One generated input: a message text (null = a non-text message) or callback data, sent by a user.</summary>
public sealed record FuzzInput(FuzzUser User, string? Text, string? CallbackData, bool IsCallback, string Command)
{
    public override string ToString()
    {
        var shown = IsCallback ? "callback " + Show(CallbackData) : Show(Text);
        return $"user {User.Id} ({User.Role}) {shown}";
    }

    private static string Show(string? text) => text is null ? "<null>"
        : (text.Length > 120 ? text[..120] + $"…({text.Length} chars)" : text).ReplaceLineEndings("\\n");
}

/// <summary>
/// Deterministic generator of hostile, invalid updates: every command the catalog knows plus unknown ones, with
/// arguments that no handler may accept as a change (huge, negative, zero, NaN, Infinity, exponent, thousands
/// separators, unicode/RTL, zero-width, injection strings, overlong, random characters), and forged or replayed
/// callback data. "Invalid only" is checked here against the bot's own parsers, so a state change afterwards is a bug.
/// </summary>
public sealed class HostileInput(
    int seed,
    IReadOnlyDictionary<string, Role> minimumRoles,
    IReadOnlyList<FuzzUser> users,
    IReadOnlyList<string> foreignTokens,
    IReadOnlyList<string> usedTokens)
{
    private readonly Random _random = new(seed);
    private readonly string[] _commands = minimumRoles.Keys.Order(StringComparer.Ordinal).ToArray();

    public static readonly string[] Numbers =
    [
        "0", "00", "0.0", "-0", "-1", "-100", "+5", "-0.000001", "NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf", "∞", "1e3", "1E3", "1e-7", "2.5e+10",
        "1,000", "1.000,50", "1_000", "10'000", "1 000", "0x10", "0b101", ".5", "5.", "1.2.3", "١٢٣", "１２３", "߁߂", "9999999999999999", "99999999999999999999999999999",
        "79228162514264337593543950336", "1000000.000001", "0.0000001", "0.1234567890123456789", "1000001", "18446744073709551616", "-9223372036854775808",
        "9223372036854775807", "2147483648", "1/2", "10%", "%", "x", "10xx", "1e309x", "NaNx", "-5x", "0x", "0.001x", "½", "Ⅻ", "5\u200B0", "\u200B", "1\u00A0000",
    ];

    public static readonly string[] Strings =
    [
        "'; DROP TABLE users; --", "\" OR 1=1 --", "1; DELETE FROM accounts", "' UNION SELECT * FROM audit_log --", "Robert'); DROP TABLE positions;--",
        "*bold*", "_italic_", "`code`", "```pre```", "[link](http://evil.example)", "<b>x</b>", "<script>alert(1)</script>", "&lt;&amp;", "\\", "\\n",
        "%s%s%s%n", "{0}", "{{}}", "${jndi:ldap://x/a}", "%x%x", "../../etc/passwd", "null", "undefined", "true", "[]", "{}",
        "\u202Eevil\u202C", "\u202Bשלום\u202C", "مرحبا", "שלום", "E\u200BTH", "\u200D", "\uFEFFETH", "e\u0301\u0301\u0301", "🚀🚀", "👨‍👩‍👧", "\uD800", "\uDFFF",
        "\0", "\u0007", "\u001B[31m", "\r\n", "\t", "ETH/ETH", "ETH/", "/ETH", "XYZ", "ETH/USD/USD", "ЕТН", "ᴱᵀᴴ", "K", "\u212A", "ON", "Off", "LIVE\u200B", "dry ",
    ];

    private static readonly string[] PairLike = ["ETH", "BTC", "SOL", "eth", "ETH/USD", "BTC-USD", "XYZ", "ЕТН", "E\u200BTH", "\u202EETH"];

    private static readonly string[] UnknownNames =
    [
        "foo", "longg", "shrt", "withdraw", "admin", "sudo", "root", "emergency", "grant_all", "deposit_", "_", "x", "a1", "close_all", "balance2", "tp_", "sl_",
        "bal", "pos", "executionmode", "transfer", "delete", "drop", "select",
    ];

    private static readonly string[] BadNames = ["\u212Aong", "lоng", "long-x", "lo ng", "", "$", "🚀", "ｌｏｎｇ", "long!", new string('a', 33), "déposit", "\u202Elong"];

    public FuzzInput Next()
    {
        var user = users[_random.Next(users.Count)];
        return _random.Next(100) switch
        {
            < 14 => Callback(user),
            < 17 => new FuzzInput(user, Noise(), null, false, "noise"),
            < 18 => new FuzzInput(user, null, null, false, "non-text"),
            < 20 => new FuzzInput(user, "/" + Pick(_commands) + " " + new string(Pick("a1 ₿%"), 4097 + _random.Next(4000)), null, false, "overlong"),
            < 24 => Unknown(user),
            _ => Known(user),
        };
    }

    private FuzzInput Known(FuzzUser user)
    {
        var command = Pick(_commands);
        for (var attempt = 0; ; attempt++)
        {
            var args = ArgumentsFor(command, user);
            if (args is null)
            {
                // This command has no invalid form for this role (e.g. /emergency_stop takes any reason from an Admin).
                command = Pick(_commands);
                continue;
            }

            var name = _random.Next(10) == 0 ? MixCase(command) : command;
            var separator = _random.Next(8) switch { 0 => "  ", 1 => "\t", 2 => "\n", 3 => "\u3000", _ => " " };
            var text = "/" + name + (args.Count == 0 ? "" : separator + string.Join(separator, args));
            if (text.Length <= 4096 || attempt > 5)
            {
                return new FuzzInput(user, text, null, false, command);
            }
        }
    }

    /// <summary>Arguments that must be refused (or only read) for this command and role; null when none exist.</summary>
    private List<string>? ArgumentsFor(string command, FuzzUser user)
    {
        var minimum = minimumRoles[command];
        if (user.Role < minimum)
        {
            // Denied by the pipeline before any handler: any arguments at all, including valid ones.
            return Resplit(Random(_random.Next(4)));
        }

        switch (command)
        {
            case "deposit":
                return Until(() => Random(_random.Next(3)), a => a.Count != 1 || !NumberArgument.TryParse(a[0], Usdc.Decimals, out var v, out _) || v <= 0 || v > 1_000_000m);
            case "long" or "short":
                return Until(OrderLike, a => !OpenOrderArguments.TryParse(a, out _, out _));
            case "close":
                return Until(() => _random.Next(3) == 0 ? [PositionLike(user)] : [PositionLike(user), BadPercent()], a => a.Count != 1 || !IsOwn(user, a[0]));
            case "tp" or "sl":
                return Until(
                    () => _random.Next(4) == 0 ? Random(_random.Next(4)) : [PositionLike(user), Pick(Numbers)],
                    a => a.Count != 2 || !IsOwn(user, a[0]) || (!(command == "tp" && a[1].Equals("off", StringComparison.OrdinalIgnoreCase))
                        && (!NumberArgument.TryParse(a[1], 8, out var p, out _) || p <= 0)));
            case "grant" or "revoke":
                return Until(
                    () => _random.Next(3) == 0 ? Random(_random.Next(4)) : [Pick(Numbers), _random.Next(2) == 0 ? Pick(Strings) : "Trader"],
                    a => a.Count != 2 || !long.TryParse(a[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0 || !RolePolicy.TryParseRole(a[1], out _));
            case "set_limit":
                return Until(
                    () => _random.Next(3) == 0 ? Random(_random.Next(5)) : [Pick(Numbers), _random.Next(2) == 0 ? "opens" : Pick(Strings), Pick(Numbers)],
                    a => a.Count != 3 || !RateLimitsCommand.TryParseUserId(a[0], out _) || !RateLimitNames.TryParse(a[1], out _)
                        || (!a[2].Equals("default", StringComparison.OrdinalIgnoreCase)
                            && (!long.TryParse(a[2].Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > LimitsOptionsValidator.MaxVolumeUsdPerHour)));
            case "maintenance_mode":
                return Until(() => Random(_random.Next(4)), a => a.Count == 0 || !(a[0].Equals("on", StringComparison.OrdinalIgnoreCase) || (a.Count == 1 && a[0].Equals("off", StringComparison.OrdinalIgnoreCase))));
            case "live":
                return Until(() => Random(_random.Next(3)), a => !(a.Count == 1 && a[0].Equals("off", StringComparison.OrdinalIgnoreCase)));
            case "leader":
                // "on" opts in (a change) and "off" is a no-op answered "ok" for a non-leader: both forms are valid, exactly as
                // LeaderCommand reads them (one argument, lower-cased invariantly), so neither may be sent as hostile input.
                return Until(() => Random(_random.Next(3)), a => !(a.Count == 1 && a[0].ToLowerInvariant() is "on" or "off"));
            case "wallet" or "rotate_keys":
                // Without arguments these create a wallet or re-wrap keys (valid state changes); any argument is refused.
                return Until(() => Random(1 + _random.Next(3)), a => a.Count > 0);
            case "emergency_stop":
                // Any text is a valid reason from an Admin: there is no invalid form to try.
                return null;
            default:
                // Read-only commands and ones whose every argument is refused or harmless (/execution_mode DRY is a no-op in DRY;
                // /swap with well-formed arguments is refused because the fuzz deployment configures no EVM chain).
                return Resplit(Random(_random.Next(4)));
        }
    }

    private FuzzInput Unknown(FuzzUser user)
    {
        if (_random.Next(3) == 0)
        {
            return new FuzzInput(user, "/" + Pick(BadNames) + " " + string.Join(' ', Random(_random.Next(3))), null, false, "bad-name");
        }

        var name = _random.Next(2) == 0 ? Pick(UnknownNames) : Pick(_commands) + Pick(new[] { "_", "x", "2", "__" });
        return new FuzzInput(user, "/" + name + (_random.Next(2) == 0 ? "" : " " + string.Join(' ', Random(_random.Next(3)))), null, false, "unknown");
    }

    private FuzzInput Callback(FuzzUser user)
    {
        var foreign = foreignTokens.Count > 0 ? Pick(foreignTokens.ToArray()) : "0000";
        var used = usedTokens.Count > 0 ? Pick(usedTokens.ToArray()) : "ffff";
        var data = _random.Next(16) switch
        {
            0 => "confirm:" + foreign,
            1 => "cancel:" + foreign,
            2 => "confirm:" + used,
            3 => "cancel:" + used,
            4 => "confirm:" + Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64())),
            5 => "golive:" + Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64())),
            6 => "golive_cancel:" + Pick(Strings),
            7 => "price:" + Pick(Strings),
            8 => Pick(new[] { "confirm", "cancel", "golive", "price", "confirm:", ":", "::", "CONFIRM:" + foreign, " confirm:" + foreign, "confirm :" + foreign }),
            9 => Pick(UnknownNames) + ":" + Pick(Strings),
            10 => "confirm:" + foreign + Pick(Strings),
            11 => "confirm:" + new string('f', 64 + _random.Next(5000)),
            12 => "",
            13 => RandomText(1 + _random.Next(64)),
            14 => "cancel:" + foreign.ToUpperInvariant(),
            _ => "price:" + Pick(PairLike),
        };

        // Telegram itself only sends the confirm/cancel tokens to the card's owner; the owner of a foreign card never presses it here.
        return new FuzzInput(user, null, data, true, "callback");
    }

    private List<string> OrderLike()
    {
        var args = new List<string> { Pick(PairLike), Pick(Numbers), Pick(Numbers) + (_random.Next(3) == 0 ? "" : "x") };
        for (var i = _random.Next(4); i > 0; i--)
        {
            args.Add(Pick(new[] { "tp=", "sl=", "TP=", "tp", "=", "xx=", "tp==" }) + Pick(Numbers));
        }

        if (_random.Next(4) == 0)
        {
            args.RemoveAt(_random.Next(args.Count));
        }

        if (_random.Next(4) == 0)
        {
            args[_random.Next(args.Count)] = Pick(Strings);
        }

        return args;
    }

    private string PositionLike(FuzzUser user)
    {
        var other = users.Where(u => u.Id != user.Id).SelectMany(u => u.OwnPositions).ToArray();
        return _random.Next(6) switch
        {
            0 when user.OwnPositions.Count > 0 => Pick(user.OwnPositions.ToArray()),
            1 when user.OwnPositions.Count > 0 => Pick(user.OwnPositions.ToArray()).ToUpperInvariant(),
            2 when other.Length > 0 => Pick(other),
            3 => Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64()))[..12],
            4 => Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64()))[..(_random.Next(2) == 0 ? 11 : 13)],
            _ => Pick(Strings),
        };
    }

    private string BadPercent() => Pick(new[] { "0%", "-5%", "100.01%", "101%", "50", "NaN%", "1e2%", "50.555%", "%", "50%%", "∞%", "50 %", "0.001%", "1,5%", "٥٠%" });

    private static bool IsOwn(FuzzUser user, string id) => user.OwnPositions.Contains(id, StringComparer.OrdinalIgnoreCase);

    private static List<string> Until(Func<List<string>> make, Func<List<string>, bool> isInvalid)
    {
        while (true)
        {
            // Split exactly as the pipeline will, so the check sees the arguments the handler gets.
            var args = string.Join(' ', make()).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
            if (isInvalid(args))
            {
                return args;
            }
        }
    }

    private static List<string> Resplit(List<string> args) => string.Join(' ', args).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();

    private List<string> Random(int count)
    {
        var args = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            args.Add(_random.Next(5) switch
            {
                0 or 1 => Pick(Numbers),
                2 or 3 => Pick(Strings),
                _ => RandomText(1 + _random.Next(_random.Next(10) == 0 ? 1500 : 24)),
            });
        }

        // Arguments are split on whitespace: tokens with whitespace inside simply become more arguments.
        return args.Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
    }

    private string Noise() => _random.Next(4) switch
    {
        0 => Pick(Strings),
        1 => Pick(Numbers),
        2 => " /long ETH 100 10x",
        _ => RandomText(1 + _random.Next(200)),
    };

    /// <summary>Random UTF-16 code units, lone surrogates included, biased to ASCII and to troublesome ranges.</summary>
    private string RandomText(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(_random.Next(6) switch
            {
                0 or 1 => (char)_random.Next(0x20, 0x7F),
                2 => (char)_random.Next(0, 0x20),
                3 => (char)_random.Next(0x200B, 0x2070),
                4 => (char)_random.Next(0xD800, 0xE000),
                _ => (char)_random.Next(0x80, 0x10000),
            });
        }

        return text.ToString();
    }

    private string MixCase(string name) => new(name.Select(c => _random.Next(2) == 0 ? char.ToUpperInvariant(c) : c).ToArray());

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private char Pick(string chars) => chars[_random.Next(chars.Length)];
}
