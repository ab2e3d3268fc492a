using System.Numerics;
using VantaBot.Infrastructure.Evm.Abi;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Evm.Transactions;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;

namespace VantaBot.UnitTests.Evm.Swaps;

/// <summary>A chain for unit tests: eth_call answered per (contract, selector) by the test, everything else scripted.</summary>
public sealed class ScriptedRpcClient(string chain = "anvil") : IEvmRpcClient
{
    private readonly Dictionary<(EvmAddress To, string Selector), Func<byte[], byte[]>> _calls = [];

    public List<EvmCallRequest> Calls { get; } = [];

    public List<EvmCallRequest> Estimates { get; } = [];

    public long BlockTimestamp { get; set; } = 1_800_000_000;

    public BigInteger BaseFee { get; set; } = 1_000_000_000;

    public BigInteger Tip { get; set; } = 1_000_000_000;

    public BigInteger GasEstimate { get; set; } = 100_000;

    /// <summary>When set, eth_estimateGas reverts with this Error(string) reason ...</summary>
    public string? EstimateRevert { get; set; }

    /// <summary>... for calls to this contract only (every contract when null).</summary>
    public EvmAddress? EstimateRevertAt { get; set; }

    public string Chain => chain;

    public long ChainId => 31337;

    public void OnCall(EvmAddress to, AbiFunction function, Func<object?[], object?[]> answer) =>
        _calls[(to, function.SelectorHex)] = data => AbiEncoder.Encode(function.Outputs.Select(o => o.Type).ToArray(), answer(function.DecodeCall(data)));

    /// <summary>The call reverts with Error(<paramref name="reason"/>), as a router does for a missing pool.</summary>
    public void RevertCall(EvmAddress to, AbiFunction function, string reason) =>
        _calls[(to, function.SelectorHex)] = _ => throw Revert(reason, "eth_call");

    public Task<byte[]> CallAsync(EvmCallRequest call, BlockTag block, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add(call);
        }

        return _calls.TryGetValue((call.To, Hex.FromBytes(call.Data.AsSpan(0, 4))), out var answer)
            ? Task.FromResult(answer(call.Data))
            : throw Revert("no contract answers this", "eth_call");
    }

    public Task<BigInteger> EstimateGasAsync(EvmCallRequest call, CancellationToken cancellationToken)
    {
        Estimates.Add(call);
        return EstimateRevert is { } reason && (EstimateRevertAt is null || EstimateRevertAt == call.To)
            ? throw Revert(reason, "eth_estimateGas")
            : Task.FromResult(GasEstimate);
    }

    public Task<EvmBlock?> GetBlockAsync(BlockTag block, CancellationToken cancellationToken) =>
        Task.FromResult<EvmBlock?>(new EvmBlock(100, EvmHash.FromBytes(new byte[32]), EvmHash.FromBytes(new byte[32]), BlockTimestamp, BaseFee));

    public Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken) => Task.FromResult(Tip);

    public Task<long> GetChainIdAsync(CancellationToken cancellationToken) => Task.FromResult(ChainId);

    public Task<BigInteger> GetBlockNumberAsync(CancellationToken cancellationToken) => Task.FromResult(new BigInteger(100));

    public Task<BigInteger> GetTransactionCountAsync(EvmAddress address, BlockTag block, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<BigInteger> GetBalanceAsync(EvmAddress address, BlockTag block, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EvmHash> SendRawTransactionAsync(byte[] rawTransaction, CancellationToken cancellationToken) => throw new NotSupportedException("the venue sends through the queue");

    public Task<EvmReceipt?> GetTransactionReceiptAsync(EvmHash hash, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EvmTransaction?> GetTransactionByHashAsync(EvmHash hash, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<EvmLog>> GetLogsAsync(EvmLogFilter filter, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<EvmEndpointProbe>> ProbeEndpointsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    private EvmRpcException Revert(string reason, string method) =>
        new(chain, method, 3, "execution reverted: " + reason, [.. Hex.ToBytes("0x08c379a0"), .. AbiEncoder.Encode(AbiType.String, reason)]);
}

public sealed class SingleChainClients(IEvmRpcClient client) : IEvmRpcClients
{
    public IReadOnlyCollection<IEvmRpcClient> All => [client];

    public IEvmRpcClient? Find(string chain) => string.Equals(chain, client.Chain, StringComparison.OrdinalIgnoreCase) ? client : null;
}

/// <summary>
/// The transaction queue as the venue sees it: records what is submitted, and ends each transaction the way the test
/// says (by purpose). A fake of our own port; the real queue is tested against anvil.
/// </summary>
public sealed class ScriptedTransactionSender : IEvmTransactionSender
{
    private readonly List<EvmTxRecord> _records = [];
    private int _nonce;

    public List<EvmTxRequest> Submitted { get; } = [];

    /// <summary>How each purpose ends; Succeeded by default.</summary>
    public Dictionary<string, EvmTxState> Ends { get; } = [];

    public Dictionary<string, string> RevertReasons { get; } = [];

    /// <summary>Receipt logs a successful transaction of that purpose carries.</summary>
    public Dictionary<string, IReadOnlyList<EvmLog>> Logs { get; } = [];

    /// <summary>When true, waits throw TimeoutException (the chain did not mine in time).</summary>
    public bool TimesOut { get; set; }

    public int Waits { get; private set; }

    /// <summary>Called when a waited-on transaction succeeds, with its request (a test moves its chain state here).</summary>
    public Action<EvmTxRequest>? OnEnded { get; set; }

    public Task<EvmTxRecord> SubmitAsync(EvmTxRequest request, CancellationToken cancellationToken)
    {
        lock (_records)
        {
            Submitted.Add(request);
            var hash = EvmHash.FromBytes(Keccak256.Hash([.. request.Data, (byte)_nonce]));
            var record = new EvmTxRecord(
                Guid.NewGuid(), request.Chain, request.Wallet, request.From, _nonce++, hash, [hash], request.Purpose, request.Intent, EvmTxState.Pending, DateTimeOffset.UnixEpoch);
            _records.Add(record);
            return Task.FromResult(record);
        }
    }

    public async Task<EvmTxOutcome> WaitAsync(EvmTxRecord transaction, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waits++;
        await Task.Yield(); // a real wait lets other swaps run meanwhile
        if (TimesOut)
        {
            throw new TimeoutException("not mined in time");
        }

        var outcome = Outcome(transaction);
        if (outcome.Succeeded && OnEnded is { } ended)
        {
            lock (_records)
            {
                ended(Submitted[(int)transaction.Nonce]);
            }
        }

        return outcome;
    }

    public Task<IReadOnlyList<EvmTxRecord>> FindByIntentAsync(IntentId intent, CancellationToken cancellationToken)
    {
        lock (_records)
        {
            return Task.FromResult<IReadOnlyList<EvmTxRecord>>(_records.Where(r => r.Intent == intent).ToList());
        }
    }

    public Task<EvmTxOutcome?> ResolveAsync(EvmTxRecord transaction, CancellationToken cancellationToken) =>
        Task.FromResult<EvmTxOutcome?>(TimesOut ? null : Outcome(transaction));

    private EvmTxOutcome Outcome(EvmTxRecord transaction)
    {
        var state = Ends.GetValueOrDefault(transaction.Purpose, EvmTxState.Succeeded);
        var ended = transaction with { State = state };
        if (state == EvmTxState.Dropped)
        {
            return new EvmTxOutcome(ended, null, null);
        }

        var receipt = new EvmReceipt(
            transaction.Hash, state == EvmTxState.Succeeded ? 1 : 0, 101, EvmHash.FromBytes(new byte[32]), 50_000, 2_000_000_000, transaction.From, null, null,
            state == EvmTxState.Succeeded ? Logs.GetValueOrDefault(transaction.Purpose, []) : []);
        return new EvmTxOutcome(ended, receipt, state == EvmTxState.Reverted ? RevertReasons.GetValueOrDefault(transaction.Purpose, "reverted") : null);
    }
}

public sealed class OneWalletDirectory(Wallet wallet) : IWalletDirectory
{
    public Task<Wallet?> FindAsync(UserId user, string chainFamily, CancellationToken cancellationToken) =>
        Task.FromResult(user == wallet.UserId && chainFamily == wallet.ChainFamily ? wallet : null);

    public Task<Wallet> GetOrCreateAsync(UserId user, string chainFamily, CancellationToken cancellationToken) =>
        Task.FromResult(wallet);
}

public static class TestChain
{
    public static readonly EvmAddress TokenA = EvmAddress.Parse("0x1000000000000000000000000000000000000001");
    public static readonly EvmAddress TokenB = EvmAddress.Parse("0x2000000000000000000000000000000000000002");
    public static readonly EvmAddress V2Router = EvmAddress.Parse("0x3000000000000000000000000000000000000003");
    public static readonly EvmAddress V3Router = EvmAddress.Parse("0x4000000000000000000000000000000000000004");
    public static readonly EvmAddress V3Quoter = EvmAddress.Parse("0x5000000000000000000000000000000000000005");
    public static readonly EvmAddress V2Factory = EvmAddress.Parse("0x6000000000000000000000000000000000000006");
    public static readonly EvmAddress V2Pair = EvmAddress.Parse("0x7000000000000000000000000000000000000007");
    public static readonly EvmAddress V3Factory = EvmAddress.Parse("0x8000000000000000000000000000000000000008");
    public static readonly EvmAddress V3Pool = EvmAddress.Parse("0x9000000000000000000000000000000000000009");

    public static ChainsOptions Options(bool v2 = true, bool v3 = true, string? fees = null) => new()
    {
        Chains = new(StringComparer.OrdinalIgnoreCase)
        {
            ["anvil"] = new ChainOptions
            {
                ChainId = 31337,
                RpcUrls = ["http://127.0.0.1:8545"],
                Routers = new ChainRouters
                {
                    UniswapV2Router = v2 ? V2Router.ToString() : null,
                    UniswapV3Router = v3 ? V3Router.ToString() : null,
                    UniswapV3Quoter = v3 ? V3Quoter.ToString() : null,
                    UniswapV3Fees = fees,
                },
                Tokens = new(StringComparer.OrdinalIgnoreCase)
                {
                    ["TKA"] = new ChainToken { Address = TokenA.ToString(), Decimals = 18 },
                    ["TKB"] = new ChainToken { Address = TokenB.ToString(), Decimals = 18 },
                    ["WETH"] = new ChainToken { Address = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2", Decimals = 18, PriceSymbol = "eth" },
                },
            },
        },
    };
}
