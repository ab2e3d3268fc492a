using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Rpc;

/// <summary>
/// JSON-RPC over HTTP to one chain. Each call goes to the first endpoint whose breaker is closed; a transport failure
/// moves on to the next one, a JSON-RPC error is returned to the caller as <see cref="EvmRpcException"/> at once.
/// </summary>
public sealed class EvmRpcClient : IEvmRpcClient
{
    public const string HttpClientName = "evm-rpc";

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly IHttpClientFactory _clients;
    private readonly ChainOptions _options;
    private readonly ILogger<EvmRpcClient> _logger;
    private readonly IReadOnlyList<EvmRpcEndpoint> _endpoints;
    private long _nextId;

    public EvmRpcClient(string chain, ChainOptions options, IHttpClientFactory clients, TimeProvider time, ILogger<EvmRpcClient> logger)
    {
        Chain = chain;
        _options = options;
        _clients = clients;
        _logger = logger;
        _endpoints = options.RpcUrls.Select((url, i) => new EvmRpcEndpoint(chain, url, i, options, time, logger)).ToArray();
    }

    public string Chain { get; }

    public long ChainId => _options.ChainId;

    public async Task<long> GetChainIdAsync(CancellationToken cancellationToken) =>
        (long)await SendAsync("eth_chainId", [], EvmRpcJson.Quantity, cancellationToken);

    public Task<BigInteger> GetBlockNumberAsync(CancellationToken cancellationToken) =>
        SendAsync("eth_blockNumber", [], EvmRpcJson.Quantity, cancellationToken);

    public Task<EvmBlock?> GetBlockAsync(BlockTag block, CancellationToken cancellationToken) =>
        SendAsync("eth_getBlockByNumber", [block.Value, false], r => r.ValueKind == JsonValueKind.Null ? null : EvmRpcJson.Block(r), cancellationToken);

    public Task<BigInteger> GetTransactionCountAsync(EvmAddress address, BlockTag block, CancellationToken cancellationToken) =>
        SendAsync("eth_getTransactionCount", [address.ToString(), block.Value], EvmRpcJson.Quantity, cancellationToken);

    public Task<BigInteger> GetBalanceAsync(EvmAddress address, BlockTag block, CancellationToken cancellationToken) =>
        SendAsync("eth_getBalance", [address.ToString(), block.Value], EvmRpcJson.Quantity, cancellationToken);

    public Task<byte[]> CallAsync(EvmCallRequest call, BlockTag block, CancellationToken cancellationToken) =>
        SendAsync("eth_call", [EvmRpcJson.CallObject(call), block.Value], EvmRpcJson.Data, cancellationToken);

    public Task<BigInteger> EstimateGasAsync(EvmCallRequest call, CancellationToken cancellationToken) =>
        SendAsync("eth_estimateGas", [EvmRpcJson.CallObject(call)], EvmRpcJson.Quantity, cancellationToken);

    public async Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync("eth_maxPriorityFeePerGas", [], EvmRpcJson.Quantity, cancellationToken);
        }
        catch (EvmRpcException ex) when (ex.Code == -32601 || ex.RpcMessage.Contains("not supported", StringComparison.OrdinalIgnoreCase)
                                         || ex.RpcMessage.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            // Method missing on this node: the configured tip is the documented fallback.
            return GweiToWei(_options.EffectivePriorityFeeGwei);
        }
    }

    public async Task<EvmHash> SendRawTransactionAsync(byte[] rawTransaction, CancellationToken cancellationToken)
    {
        // The hash of a (typed or legacy) transaction is keccak256 of its raw bytes: known before any answer.
        var expected = EvmHash.FromBytes(Keccak256.Hash(rawTransaction));
        try
        {
            var hash = await SendAsync("eth_sendRawTransaction", [Hex.FromBytes(rawTransaction)], r => EvmHash.Parse(r.GetString() ?? ""), cancellationToken);
            if (hash != expected)
            {
                _logger.LogWarning("EVM {Chain}: node returned hash {Returned} for a transaction whose hash is {Expected}", Chain, hash, expected);
            }

            return hash;
        }
        catch (EvmRpcException ex) when (IsAlreadyKnown(ex))
        {
            _logger.LogInformation("EVM {Chain}: {Hash} already known to the node; re-broadcast counted as sent", Chain, expected);
            return expected;
        }
        catch (EvmRpcException ex)
        {
            // "nonce too low" after our own earlier broadcast was mined, for instance: if the node has the very
            // transaction, the broadcast already happened and this one is a harmless repeat.
            if (await IsKnownAsync(expected, cancellationToken))
            {
                _logger.LogInformation("EVM {Chain}: {Hash} already known to the node ({Error}); re-broadcast counted as sent", Chain, expected, ex.RpcMessage);
                return expected;
            }

            throw;
        }
    }

    public Task<EvmReceipt?> GetTransactionReceiptAsync(EvmHash hash, CancellationToken cancellationToken) =>
        SendAsync("eth_getTransactionReceipt", [hash.Hex], r => r.ValueKind == JsonValueKind.Null ? null : EvmRpcJson.Receipt(r), cancellationToken);

    public Task<EvmTransaction?> GetTransactionByHashAsync(EvmHash hash, CancellationToken cancellationToken) =>
        SendAsync("eth_getTransactionByHash", [hash.Hex], r => r.ValueKind == JsonValueKind.Null ? null : EvmRpcJson.Transaction(r), cancellationToken);

    public Task<IReadOnlyList<EvmLog>> GetLogsAsync(EvmLogFilter filter, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<EvmLog>>("eth_getLogs", [EvmRpcJson.FilterObject(filter)], r => r.EnumerateArray().Select(EvmRpcJson.Log).ToArray(), cancellationToken);

    public async Task<IReadOnlyList<EvmEndpointProbe>> ProbeEndpointsAsync(CancellationToken cancellationToken)
    {
        var probes = _endpoints.Select(async endpoint =>
        {
            try
            {
                var chainId = (long)await SendToAsync(endpoint, "eth_chainId", [], EvmRpcJson.Quantity, cancellationToken);
                if (chainId != _options.ChainId)
                {
                    return new EvmEndpointProbe(endpoint.Name, false, null, $"serves chain id {chainId}, configured {_options.ChainId}");
                }

                var head = await SendToAsync(endpoint, "eth_blockNumber", [], EvmRpcJson.Quantity, cancellationToken);
                return new EvmEndpointProbe(endpoint.Name, true, head, "ok");
            }
            catch (EvmRpcException ex)
            {
                return new EvmEndpointProbe(endpoint.Name, false, null, $"error {ex.Code}: {ex.RpcMessage}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return new EvmEndpointProbe(endpoint.Name, false, null, EvmRpcEndpoint.Describe(ex));
            }
        });
        return await Task.WhenAll(probes);
    }

    /// <summary>Whether the node has the transaction; a failed lookup is "not known", so the caller sees the broadcast's own error.</summary>
    private async Task<bool> IsKnownAsync(EvmHash hash, CancellationToken cancellationToken)
    {
        try
        {
            return await GetTransactionByHashAsync(hash, cancellationToken) is not null;
        }
        catch (Exception ex) when (ex is EvmRpcException or EvmRpcUnavailableException)
        {
            return false;
        }
    }

    public static BigInteger GweiToWei(decimal gwei) =>
        new BigInteger(decimal.Round(gwei * 1_000_000_000m, 0, MidpointRounding.ToZero));

    private static bool IsAlreadyKnown(EvmRpcException ex) =>
        ex.RpcMessage.Contains("already known", StringComparison.OrdinalIgnoreCase)
        || ex.RpcMessage.Contains("known transaction", StringComparison.OrdinalIgnoreCase)
        || ex.RpcMessage.Contains("already imported", StringComparison.OrdinalIgnoreCase)
        || ex.RpcMessage.Contains("already exists", StringComparison.OrdinalIgnoreCase);

    private async Task<T> SendAsync<T>(string method, JsonNode?[] parameters, Func<JsonElement, T> parse, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var endpoint in _endpoints)
        {
            // An open breaker throws at once without calling (and lets one trial call through when its break ends).
            try
            {
                return await SendToAsync(endpoint, method, parameters, parse, cancellationToken);
            }
            catch (Exception ex) when (ex is not EvmRpcException && !cancellationToken.IsCancellationRequested)
            {
                var reason = EvmRpcEndpoint.Describe(ex);
                failures.Add($"{endpoint.Name}: {reason}");
                if (ex is BrokenCircuitException)
                {
                    continue; // logged once when the breaker opened
                }

                _logger.LogWarning("EVM {Chain} endpoint {Endpoint} failed {Method}: {Reason}", Chain, endpoint.Name, method, reason);
            }
        }

        throw new EvmRpcUnavailableException(Chain, method, failures);
    }

    private async Task<T> SendToAsync<T>(EvmRpcEndpoint endpoint, string method, JsonNode?[] parameters, Func<JsonElement, T> parse, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = method,
            ["params"] = new JsonArray([.. parameters.Select(p => p?.DeepClone())]),
        }.ToJsonString();

        return await endpoint.Pipeline.ExecuteAsync(
            async token =>
            {
                using var content = new StringContent(request, Encoding.UTF8);
                content.Headers.ContentType = JsonType;
                using var client = _clients.CreateClient(HttpClientName);
                using var response = await client.PostAsync(endpoint.Url, content, token);
                var status = (int)response.StatusCode;
                if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
                {
                    throw new EvmTransportException($"HTTP {status}");
                }

                await using var body = await response.Content.ReadAsStreamAsync(token);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    throw ToRpcException(method, error);
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new EvmTransportException($"HTTP {status}");
                }

                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("result", out var result))
                {
                    throw new EvmTransportException("malformed answer: no result");
                }

                return parse(result);
            },
            cancellationToken);
    }

    private EvmRpcException ToRpcException(string method, JsonElement error)
    {
        var code = error.TryGetProperty("code", out var c) && c.TryGetInt64(out var n) ? n : 0;
        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "(no message)";
        byte[]? data = null;
        if (error.TryGetProperty("data", out var d))
        {
            // geth/anvil put the revert bytes in data as hex; some providers nest them in an object.
            var text = d.ValueKind switch
            {
                JsonValueKind.String => d.GetString(),
                JsonValueKind.Object when d.TryGetProperty("data", out var inner) && inner.ValueKind == JsonValueKind.String => inner.GetString(),
                _ => null,
            };
            if (Hex.TryToBytes(text, out var bytes))
            {
                data = bytes;
            }
        }

        return new EvmRpcException(Chain, method, code, message, data);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Chain} ({_options.ChainId})");
}
