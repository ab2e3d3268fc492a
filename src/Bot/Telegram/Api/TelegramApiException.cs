namespace VantaBot.Bot.Telegram.Api;

/// <summary>
/// A Bot API call failed for good: the server answered with an error that is not retried, or the client's
/// bounded retries are spent. Never carries the request URL (it contains the bot token).
/// </summary>
public sealed class TelegramApiException : Exception
{
    /// <summary>Error code used when no HTTP answer arrived at all (network error or timeout).</summary>
    public const int TransportErrorCode = 0;

    public TelegramApiException(string method, int errorCode, string description, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(FormatMessage(method, errorCode, description), innerException)
    {
        Method = method;
        ErrorCode = errorCode;
        Description = description;
        RetryAfter = retryAfter;
    }

    /// <summary>Bot API method name, e.g. "sendMessage".</summary>
    public string Method { get; }

    /// <summary>Bot API error_code (usually the HTTP status); <see cref="TransportErrorCode"/> for network errors and timeouts.</summary>
    public int ErrorCode { get; }

    public string Description { get; }

    /// <summary>From a 429's parameters.retry_after: how long the server asked us to wait.</summary>
    public TimeSpan? RetryAfter { get; }

    public bool IsTransportError => ErrorCode == TransportErrorCode;

    public bool IsRateLimited => ErrorCode == 429;

    /// <summary>The method does not exist on this server (the test emulator answers HTTP 500 "... is not supported").</summary>
    public bool IsNotSupported => Description.Contains("is not supported", StringComparison.OrdinalIgnoreCase);

    private static string FormatMessage(string method, int errorCode, string description) =>
        errorCode == TransportErrorCode
            ? $"Telegram {method} failed: {description}"
            : $"Telegram {method} failed with {errorCode}: {description}";
}
