using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VantaBot.Bot.Telegram.Api;

/// <summary>
/// <see cref="ITelegramBotApi"/> over a typed <see cref="HttpClient"/>: POSTs JSON to
/// <c>{ApiBaseUrl}/bot{token}/{method}</c> and unwraps <c>{ok,result}</c>.
/// <list type="bullet">
/// <item>429: waits parameters.retry_after (surfaced at once when above <see cref="TelegramOptions.MaxRetryAfter"/>).</item>
/// <item>5xx, network errors, timeouts: exponential backoff (200 ms, 400 ms, 800 ms, …), at most <see cref="TelegramOptions.MaxRetries"/> retries.
/// A 500 "... is not supported" (the test emulator's answer to unknown methods) is permanent and not retried.</item>
/// <item>Other 4xx: thrown at once.</item>
/// </list>
/// Tolerates the test emulator's deviations: non-<c>{ok}</c> error bodies, <c>result:null</c>, getMe without
/// is_bot and Message.date in milliseconds (normalised to seconds). The token, and therefore the URL, never
/// reaches a log line or an exception message. The caller's cancellation is never retried or wrapped.
/// </summary>
public sealed class TelegramBotApiClient : ITelegramBotApi
{
    /// <summary>Update kinds the bot handles; everything else stays on the server.</summary>
    public static IReadOnlyList<string> DefaultAllowedUpdates { get; } = ["message", "edited_message", "callback_query"];

    /// <summary>First backoff delay after a 5xx or network error; doubles per retry.</summary>
    public static TimeSpan BaseRetryDelay { get; } = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Unix seconds stay below this for millennia; anything above is milliseconds.</summary>
    private const long MillisecondDateThreshold = 100_000_000_000;

    private readonly HttpClient _httpClient;
    private readonly IOptions<TelegramOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TelegramBotApiClient> _logger;

    public TelegramBotApiClient(HttpClient httpClient, IOptions<TelegramOptions> options, TimeProvider timeProvider, ILogger<TelegramBotApiClient> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClient = httpClient;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<TelegramUser> GetMeAsync(CancellationToken cancellationToken)
    {
        var me = await CallAsync<TelegramUser>("getMe", new EmptyRequest(), RequestTimeout, cancellationToken);
        if (me is null)
        {
            throw new TelegramApiException("getMe", (int)HttpStatusCode.OK, "getMe returned no user");
        }

        // getMe always describes a bot; the emulator leaves is_bot out.
        return me.IsBot ? me : me with { IsBot = true };
    }

    public async Task<IReadOnlyList<TelegramUpdate>> GetUpdatesAsync(long? offset, int limit, int timeoutSeconds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutSeconds);
        var request = new GetUpdatesRequest(offset, Math.Clamp(limit, 1, 100), timeoutSeconds, DefaultAllowedUpdates);
        var timeout = TimeSpan.FromSeconds(timeoutSeconds) + RequestTimeout;
        var updates = await CallAsync<List<TelegramUpdate>>("getUpdates", request, timeout, cancellationToken);
        if (updates is null || updates.Count == 0)
        {
            return [];
        }

        return updates.ConvertAll(NormaliseUpdate);
    }

    public async Task<TelegramMessage?> SendMessageAsync(long chatId, string text, TelegramSendOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var request = new SendMessageRequest(chatId, text, options?.ParseMode, options?.ReplyMarkup);
        var message = await CallAsync<TelegramMessage>("sendMessage", request, RequestTimeout, cancellationToken);
        return NormaliseMessage(message);
    }

    public Task EditMessageTextAsync(long chatId, long messageId, string text, TelegramSendOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var request = new EditMessageTextRequest(chatId, messageId, text, options?.ParseMode, options?.ReplyMarkup);

        // Real Telegram returns the edited Message (or true for inline messages), the emulator null: ignore it.
        return CallAsync<JsonElement>("editMessageText", request, RequestTimeout, cancellationToken);
    }

    public Task AnswerCallbackQueryAsync(string callbackQueryId, string? text, bool showAlert, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callbackQueryId);
        var request = new AnswerCallbackQueryRequest(callbackQueryId, text, showAlert);
        return CallAsync<JsonElement>("answerCallbackQuery", request, RequestTimeout, cancellationToken);
    }

    public Task SetMyCommandsAsync(IReadOnlyList<TelegramBotCommand> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        return CallAsync<JsonElement>("setMyCommands", new SetMyCommandsRequest(commands), RequestTimeout, cancellationToken);
    }

    public Task SetWebhookAsync(Uri url, string secretToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrEmpty(secretToken);
        var request = new SetWebhookRequest(url.AbsoluteUri, secretToken, DefaultAllowedUpdates);
        return CallAsync<JsonElement>("setWebhook", request, RequestTimeout, cancellationToken);
    }

    public Task DeleteWebhookAsync(bool dropPendingUpdates, CancellationToken cancellationToken) =>
        CallAsync<JsonElement>("deleteWebhook", new DeleteWebhookRequest(dropPendingUpdates), RequestTimeout, cancellationToken);

    /// <summary>Builds <c>{baseUrl}/bot{token}/{method}</c>, keeping any path the base URL carries.</summary>
    internal static Uri BuildMethodUri(Uri baseUrl, string token, string method)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var builder = new UriBuilder(baseUrl) { Query = string.Empty, Fragment = string.Empty };
        builder.Path = builder.Path.TrimEnd('/') + "/bot" + token + "/" + method;
        return builder.Uri;
    }

    internal static TelegramUpdate NormaliseUpdate(TelegramUpdate update)
    {
        var callback = update.CallbackQuery;
        if (callback?.Message is { } callbackMessage)
        {
            callback = callback with { Message = NormaliseMessage(callbackMessage) };
        }

        return update with
        {
            Message = NormaliseMessage(update.Message),
            EditedMessage = NormaliseMessage(update.EditedMessage),
            CallbackQuery = callback,
        };
    }

    internal static TelegramMessage? NormaliseMessage(TelegramMessage? message) =>
        message is { Date: > MillisecondDateThreshold } ? message with { Date = message.Date / 1000 } : message;

    private TimeSpan RequestTimeout => _options.Value.RequestTimeout;

    private async Task<T?> CallAsync<T>(string method, object request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var token = options.BotToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new InvalidOperationException("Telegram:BotToken is not configured; the Bot API client cannot be used.");
        }

        var uri = BuildMethodUri(options.ApiBaseUrl, token, method);
        var body = JsonSerializer.Serialize(request, request.GetType(), TelegramJson.Options);

        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = await SendOnceAsync<T>(method, uri, body, token, timeout, cancellationToken);
            if (outcome.Error is null)
            {
                return outcome.Result;
            }

            var error = outcome.Error;
            var delay = RetryDelay(error, outcome.Transient, attempt, options);
            if (delay is null)
            {
                _logger.LogWarning(
                    "Telegram {Method} failed with {ErrorCode} after {Attempts} attempt(s), not retrying: {Description}",
                    method, error.ErrorCode, attempt + 1, error.Description);
                throw error;
            }

            _logger.LogInformation(
                "Telegram {Method} failed with {ErrorCode}: {Description}; retry {Retry}/{MaxRetries} in {Delay}",
                method, error.ErrorCode, error.Description, attempt + 1, options.MaxRetries, delay.Value);
            await Task.Delay(delay.Value, _timeProvider, cancellationToken);
        }
    }

    /// <summary>Null: give up and throw. Otherwise how long to wait before the next attempt.</summary>
    private static TimeSpan? RetryDelay(TelegramApiException error, bool transient, int attempt, TelegramOptions options)
    {
        if (error.IsRateLimited)
        {
            var retryAfter = error.RetryAfter ?? TimeSpan.FromSeconds(1);
            return retryAfter > options.MaxRetryAfter || attempt >= options.MaxRetries ? null : retryAfter;
        }

        if (attempt >= options.MaxRetries)
        {
            return null;
        }

        var retryable = transient || (error.ErrorCode >= 500 && !error.IsNotSupported);
        if (!retryable)
        {
            return null;
        }

        var backoff = BaseRetryDelay * Math.Pow(2, Math.Min(attempt, 16));
        return backoff > MaxBackoff ? MaxBackoff : backoff;
    }

    private async Task<Outcome<T>> SendOnceAsync<T>(string method, Uri uri, string body, string token, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(timeout, _timeProvider);
        using var linkedCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linkedCts.Token);
            var responseBody = await response.Content.ReadAsStringAsync(linkedCts.Token);
            return Interpret<T>(method, token, response, responseBody);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (timeoutCts.IsCancellationRequested)
        {
            var description = string.Create(CultureInfo.InvariantCulture, $"request timed out after {timeout.TotalSeconds:0.###} s");
            return Outcome<T>.Failed(new TelegramApiException(method, TelegramApiException.TransportErrorCode, description, innerException: SafeInner(ex, token)), transient: true);
        }
        catch (HttpRequestException ex)
        {
            var description = "network error: " + Redact(ex.Message, token);
            return Outcome<T>.Failed(new TelegramApiException(method, TelegramApiException.TransportErrorCode, description, innerException: SafeInner(ex, token)), transient: true);
        }
    }

    private Outcome<T> Interpret<T>(string method, string token, HttpResponseMessage response, string responseBody)
    {
        var status = (int)response.StatusCode;
        JsonElement root = default;
        var parsed = false;
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(responseBody) ? "null" : responseBody);
            root = document.RootElement.Clone();
            parsed = root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML error page, say): judged by the HTTP status alone.
        }

        var ok = parsed && root.TryGetProperty("ok", out var okElement) && okElement.ValueKind == JsonValueKind.True;
        if (ok && response.IsSuccessStatusCode)
        {
            if (!root.TryGetProperty("result", out var result) || result.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                return Outcome<T>.Success(default);
            }

            try
            {
                return Outcome<T>.Success(result.Deserialize<T>(TelegramJson.Options));
            }
            catch (JsonException ex)
            {
                var invalid = new TelegramApiException(method, status, "unexpected result shape: " + Redact(ex.Message, token), innerException: SafeInner(ex, token));
                return Outcome<T>.Failed(invalid, transient: false);
            }
        }

        var errorCode = parsed && root.TryGetProperty("error_code", out var codeElement) && codeElement.TryGetInt32(out var code)
            ? code
            : response.IsSuccessStatusCode ? (int)HttpStatusCode.BadRequest : status;

        var description = parsed ? GetString(root, "description") ?? GetString(root, "message") : null;
        description ??= string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}").TrimEnd();

        TimeSpan? retryAfter = null;
        if (parsed
            && root.TryGetProperty("parameters", out var parameters)
            && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("retry_after", out var retryAfterElement)
            && retryAfterElement.TryGetInt32(out var retryAfterSeconds))
        {
            retryAfter = TimeSpan.FromSeconds(retryAfterSeconds);
        }
        else if (response.Headers.RetryAfter is { } header)
        {
            retryAfter = header.Delta ?? (header.Date is { } date ? date - _timeProvider.GetUtcNow() : null);
        }

        var exception = new TelegramApiException(method, errorCode, Redact(description, token), retryAfter);
        return Outcome<T>.Failed(exception, transient: false);
    }

    private static string? GetString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Belt and braces: no server text may smuggle the token into a log or exception.</summary>
    private static string Redact(string text, string token) =>
        text.Contains(token, StringComparison.Ordinal) ? text.Replace(token, "<redacted>", StringComparison.Ordinal) : text;

    /// <summary>An inner exception is kept for diagnostics unless its text would leak the token.</summary>
    private static Exception? SafeInner(Exception exception, string token) =>
        exception.ToString().Contains(token, StringComparison.Ordinal) ? null : exception;

    private readonly record struct Outcome<T>(T? Result, TelegramApiException? Error, bool Transient)
    {
        public static Outcome<T> Success(T? result) => new(result, null, false);

        public static Outcome<T> Failed(TelegramApiException error, bool transient) => new(default, error, transient);
    }

    // Request payloads: snake_case through TelegramJson.Options, nulls omitted.
    private sealed record EmptyRequest;

    private sealed record GetUpdatesRequest(long? Offset, int Limit, int Timeout, IReadOnlyList<string> AllowedUpdates);

    private sealed record SendMessageRequest(long ChatId, string Text, string? ParseMode, TelegramInlineKeyboardMarkup? ReplyMarkup);

    private sealed record EditMessageTextRequest(long ChatId, long MessageId, string Text, string? ParseMode, TelegramInlineKeyboardMarkup? ReplyMarkup);

    private sealed record AnswerCallbackQueryRequest(string CallbackQueryId, string? Text, bool ShowAlert);

    private sealed record SetMyCommandsRequest(IReadOnlyList<TelegramBotCommand> Commands);

    private sealed record SetWebhookRequest(string Url, string SecretToken, IReadOnlyList<string> AllowedUpdates);

    private sealed record DeleteWebhookRequest(bool DropPendingUpdates);
}
