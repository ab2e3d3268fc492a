using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.Infrastructure.Prices;

/// <summary>
/// A price source behind HTTP with its own resilience: a timeout per attempt, retries for transient failures only
/// (network, timeout, 5xx — never a 429, which asks us to slow down, nor bad data, which will not improve), and a
/// circuit breaker so a dead source costs nothing while it is open. Subclasses turn one response into a quote.
/// </summary>
public abstract class HttpPriceSource : IPriceSource
{
    private readonly IHttpClientFactory _clients;
    private readonly ResiliencePipeline _pipeline;

    protected HttpPriceSource(string name, IHttpClientFactory clients, HttpPriceSourceOptions options, IEnumerable<Pair> pairs, TimeProvider time, ILogger logger)
    {
        Name = name;
        _clients = clients;
        Options = options;
        Time = time;
        Logger = logger;
        SupportedPairs = pairs.ToArray();
        _pipeline = BuildPipeline(name, options, time, logger);
    }

    public string Name { get; }

    public bool IsSimulated => false;

    public IReadOnlyCollection<Pair> SupportedPairs { get; }

    protected HttpPriceSourceOptions Options { get; }

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    public async Task<PriceQuote?> GetQuoteAsync(Pair pair, CancellationToken cancellationToken)
    {
        if (!SupportedPairs.Contains(pair))
        {
            return null;
        }

        try
        {
            return await _pipeline.ExecuteAsync(async token => await FetchAsync(pair, token), cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            throw new PriceSourceException($"{Name}: circuit open after repeated failures; not asked for {Options.BreakDuration.TotalSeconds:0} s");
        }
        catch (TimeoutRejectedException)
        {
            throw new PriceSourceException($"{Name}: no answer within {Options.Timeout.TotalSeconds:0.#} s");
        }
        catch (AbsurdPriceException ex)
        {
            // The one log line the absurd value gets here; the feed then counts the source as failing.
            Logger.LogWarning("Absurd price from {Source} for {Pair} rejected: {Reason}", Name, pair, ex.Message);
            throw;
        }
    }

    /// <summary>One attempt: request, status check, parse.</summary>
    protected abstract Task<PriceQuote?> FetchAsync(Pair pair, CancellationToken cancellationToken);

    /// <summary>GETs <paramref name="relativeUrl"/> and returns the parsed JSON, or throws a classified failure.</summary>
    protected async Task<JsonDocument> GetJsonAsync(string relativeUrl, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(relativeUrl, UriKind.Relative));
        if (!string.IsNullOrEmpty(Options.ApiKey))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Options.ApiKey);
        }

        using var client = _clients.CreateClient(Name);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? $"; retry after {delta.TotalSeconds:0} s" : "";
            throw new PriceSourceException($"{Name}: rate limited (HTTP 429{retryAfter})");
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            throw new PriceSourceException($"{Name}: HTTP {status}", isTransient: status >= 500);
        }

        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw new PriceSourceException($"{Name}: malformed JSON");
        }
    }

    private static ResiliencePipeline BuildPipeline(string name, HttpPriceSourceOptions options, TimeProvider time, ILogger logger)
    {
        var transient = new PredicateBuilder()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .Handle<PriceSourceException>(ex => ex.IsTransient);

        // Every failure counts toward the breaker, a 429 and bad data included: the source is not usable either way.
        var anyFailure = new PredicateBuilder()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .Handle<PriceSourceException>();

        var builder = new ResiliencePipelineBuilder { Name = $"prices-{name}", TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    logger.LogInformation("Price source {Source}: retry {Attempt} after {Error}", name, args.AttemptNumber + 1, args.Outcome.Exception?.Message);
                    return default;
                },
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = anyFailure,
                FailureRatio = 0.5,
                MinimumThroughput = Math.Max(2, options.BreakAfterFailures),
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.BreakDuration,
                OnOpened = args =>
                {
                    logger.LogWarning("Price source {Source}: circuit opened for {Duration} after {Error}", name, args.BreakDuration, args.Outcome.Exception?.Message);
                    return default;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("Price source {Source}: circuit closed, answering again", name);
                    return default;
                },
            })
            .AddTimeout(options.Timeout)
            .Build();
    }
}
