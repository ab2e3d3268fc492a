namespace VantaBot.Infrastructure.Prices;

/// <summary>A price source answered, but not with a usable price (an HTTP error, a bad payload, an absurd value).</summary>
public class PriceSourceException(string message, bool isTransient = false) : Exception(message)
{
    /// <summary>True when asking again soon may help (5xx); false for 429, 4xx, malformed or absurd data.</summary>
    public bool IsTransient { get; } = isTransient;
}

/// <summary>The payload held a price that cannot be true: zero, negative, non-numeric, NaN, infinite or out of range.</summary>
public sealed class AbsurdPriceException(string message) : PriceSourceException(message);
