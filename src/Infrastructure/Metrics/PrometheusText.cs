using System.Globalization;
using System.Text;

namespace VantaBot.Infrastructure.Metrics;

/// <summary>Naming, escaping and number formatting rules of the Prometheus text format 0.0.4.</summary>
internal static class PrometheusText
{
    /// <summary>Metric name: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; dots, dashes and anything else invalid become '_'.</summary>
    public static string SanitizeMetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>Label name: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>; anything invalid becomes '_'.</summary>
    public static string SanitizeLabelName(string name) => Sanitize(name, allowColon: false);

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        var needsPrefix = char.IsAsciiDigit(name[0]);
        var clean = !needsPrefix;
        foreach (var c in name)
        {
            if (!IsValid(c, allowColon))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return name;
        }

        var sb = new StringBuilder(name.Length + 1);
        if (needsPrefix)
        {
            sb.Append('_');
        }

        foreach (var c in name)
        {
            sb.Append(IsValid(c, allowColon) ? c : '_');
        }

        return sb.ToString();
    }

    private static bool IsValid(char c, bool allowColon) =>
        char.IsAsciiLetter(c) || char.IsAsciiDigit(c) || c == '_' || (allowColon && c == ':');

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static void AppendLabelValue(StringBuilder sb, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append(@"\n"); break;
                default: sb.Append(c); break;
            }
        }
    }

    /// <summary>Escapes a HELP docstring: backslash and line feed.</summary>
    public static string EscapeHelp(string help)
    {
        if (help.AsSpan().IndexOfAny('\\', '\n', '\r') < 0)
        {
            return help;
        }

        var sb = new StringBuilder(help.Length + 8);
        foreach (var c in help)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': break; // a bare CR would end the line for some parsers; drop it.
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Formats a sample value the way Prometheus spells it (+Inf, -Inf, NaN, invariant digits).</summary>
    public static string FormatDouble(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        if (double.IsNaN(value))
        {
            return "NaN";
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    public static string FormatLong(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Text of a tag value; null becomes the empty string.</summary>
    public static string TagValueToString(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
