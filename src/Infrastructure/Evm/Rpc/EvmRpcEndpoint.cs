using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace VantaBot.Infrastructure.Evm.Rpc;

/// <summary>
/// One RPC URL with its own circuit breaker and per-attempt timeout. Only transport failures (network, timeout, HTTP
/// 5xx/429, an unreadable answer) count against it; a JSON-RPC error answer is the node working as intended.
/// </summary>
internal sealed class EvmRpcEndpoint
{
    public EvmRpcEndpoint(string chain, string url, int index, Chains.ChainOptions options, TimeProvider time, ILogger logger)
    {
        Url = new Uri(url, UriKind.Absolute);
        Name = RpcUrlRedactor.Redact(url, index);
        var failures = new PredicateBuilder()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .Handle<EvmTransportException>()
            .Handle<FormatException>()
            .Handle<JsonException>();
        var endpoint = Name;
        Pipeline = new ResiliencePipelineBuilder { Name = $"evm-{chain}-{index + 1}", TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = failures,
                FailureRatio = 0.5,
                MinimumThroughput = options.BreakAfterFailures,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.BreakDuration,
                OnOpened = args =>
                {
                    logger.LogWarning("EVM {Chain} endpoint {Endpoint}: circuit opened for {Duration} after {Error}", chain, endpoint, args.BreakDuration, Describe(args.Outcome.Exception));
                    return default;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("EVM {Chain} endpoint {Endpoint}: circuit closed, answering again", chain, endpoint);
                    return default;
                },
            })
            .AddTimeout(options.RequestTimeout)
            .Build();
    }

    public Uri Url { get; }

    /// <summary>Scheme, host and port with the list position: safe for logs and errors.</summary>
    public string Name { get; }

    public ResiliencePipeline Pipeline { get; }

    /// <summary>A failure in words without the URL (HttpRequestException messages can quote it).</summary>
    public static string Describe(Exception? ex) => ex switch
    {
        null => "unknown failure",
        TimeoutRejectedException t => $"no answer within {t.Timeout.TotalSeconds:0.###} s",
        BrokenCircuitException => "skipped: circuit open",
        HttpRequestException h when h.HttpRequestError != HttpRequestError.Unknown => $"transport error: {h.HttpRequestError}",
        HttpRequestException h when h.StatusCode is { } status => $"HTTP {(int)status}",
        HttpRequestException => "transport error",
        EvmTransportException e => e.Message,
        FormatException or JsonException => "malformed answer",
        _ => ex.GetType().Name,
    };
}
