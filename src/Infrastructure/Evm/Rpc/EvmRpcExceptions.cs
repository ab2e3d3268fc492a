namespace VantaBot.Infrastructure.Evm.Rpc;

/// <summary>
/// The node answered with a JSON-RPC error: its verdict on the request (a revert, a nonce too low, an
/// underpriced replacement). Asking another endpoint would not change it, so no failover happens.
/// </summary>
public sealed class EvmRpcException : Exception
{
    public EvmRpcException(string chain, string method, long code, string rpcMessage, byte[]? data)
        : base($"{chain}: {method} failed: {rpcMessage} (code {code})")
    {
        Chain = chain;
        Method = method;
        Code = code;
        RpcMessage = rpcMessage;
        RevertData = data;
    }

    public EvmRpcException()
    {
        Chain = Method = RpcMessage = "";
    }

    public EvmRpcException(string message)
        : base(message)
    {
        Chain = Method = RpcMessage = "";
    }

    public EvmRpcException(string message, Exception innerException)
        : base(message, innerException)
    {
        Chain = Method = RpcMessage = "";
    }

    public string Chain { get; }

    public string Method { get; }

    public long Code { get; }

    public string RpcMessage { get; }

    /// <summary>The error's data as bytes when it is hex: for a revert, the revert data (e.g. Error(string) 0x08c379a0…).</summary>
    public byte[]? RevertData { get; }

    /// <summary>eth_call/eth_estimateGas reverted (code 3, or a message saying so).</summary>
    public bool IsRevert => Code == 3 || RpcMessage.Contains("revert", StringComparison.OrdinalIgnoreCase);
}

/// <summary>No endpoint of the chain could answer (all failed or are skipped by their open breakers). The message names the chain, never a URL secret.</summary>
public sealed class EvmRpcUnavailableException : Exception
{
    public EvmRpcUnavailableException(string chain, string method, IReadOnlyList<string> failures)
        : base($"{chain}: no RPC endpoint answered {method}: {string.Join("; ", failures)}")
    {
        Chain = chain;
        Failures = failures;
    }

    public EvmRpcUnavailableException()
    {
        Chain = "";
        Failures = [];
    }

    public EvmRpcUnavailableException(string message)
        : base(message)
    {
        Chain = "";
        Failures = [];
    }

    public EvmRpcUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Chain = "";
        Failures = [];
    }

    public string Chain { get; }

    public IReadOnlyList<string> Failures { get; }
}

/// <summary>One endpoint failed at the transport level (network, HTTP 5xx/429, not JSON-RPC): the next endpoint is tried.</summary>
internal sealed class EvmTransportException(string message) : Exception(message);
