using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;

namespace VantaBot.IntegrationTests.Evm.Transactions;

/// <summary>
/// The real chain clients, except that while <see cref="Lagging"/> is on no receipt can be read: a node that already
/// counts a mined transaction's nonce but has not stored its block's receipts yet. anvil answers like that for a
/// moment after every block it mines (eth_getTransactionCount(latest) &gt; nonce, eth_getTransactionReceipt null);
/// two nodes behind one load-balanced RPC URL, a block apart, answer like that for longer. Held open here so a test
/// can look at a transaction inside that window every time.
/// </summary>
public sealed class LaggingReceipts(IEvmRpcClients inner) : IEvmRpcClients
{
    private volatile bool _lagging;

    /// <summary>While true, every receipt lookup answers "not found".</summary>
    public bool Lagging
    {
        get => _lagging;
        set => _lagging = value;
    }

    public IReadOnlyCollection<IEvmRpcClient> All => inner.All.Select(c => (IEvmRpcClient)new Client(c, this)).ToList();

    public IEvmRpcClient? Find(string chain) => inner.Find(chain) is { } client ? new Client(client, this) : null;

    private sealed class Client(IEvmRpcClient inner, LaggingReceipts owner) : IEvmRpcClient
    {
        public string Chain => inner.Chain;

        public long ChainId => inner.ChainId;

        public async Task<EvmReceipt?> GetTransactionReceiptAsync(EvmHash hash, CancellationToken cancellationToken) =>
            owner.Lagging ? null : await inner.GetTransactionReceiptAsync(hash, cancellationToken);

        public Task<long> GetChainIdAsync(CancellationToken cancellationToken) => inner.GetChainIdAsync(cancellationToken);

        public Task<BigInteger> GetBlockNumberAsync(CancellationToken cancellationToken) => inner.GetBlockNumberAsync(cancellationToken);

        public Task<EvmBlock?> GetBlockAsync(BlockTag block, CancellationToken cancellationToken) => inner.GetBlockAsync(block, cancellationToken);

        public Task<BigInteger> GetTransactionCountAsync(EvmAddress address, BlockTag block, CancellationToken cancellationToken) =>
            inner.GetTransactionCountAsync(address, block, cancellationToken);

        public Task<BigInteger> GetBalanceAsync(EvmAddress address, BlockTag block, CancellationToken cancellationToken) =>
            inner.GetBalanceAsync(address, block, cancellationToken);

        public Task<byte[]> CallAsync(EvmCallRequest call, BlockTag block, CancellationToken cancellationToken) => inner.CallAsync(call, block, cancellationToken);

        public Task<BigInteger> EstimateGasAsync(EvmCallRequest call, CancellationToken cancellationToken) => inner.EstimateGasAsync(call, cancellationToken);

        public Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken) => inner.GetMaxPriorityFeePerGasAsync(cancellationToken);

        public Task<EvmHash> SendRawTransactionAsync(byte[] rawTransaction, CancellationToken cancellationToken) =>
            inner.SendRawTransactionAsync(rawTransaction, cancellationToken);

        public Task<EvmTransaction?> GetTransactionByHashAsync(EvmHash hash, CancellationToken cancellationToken) =>
            inner.GetTransactionByHashAsync(hash, cancellationToken);

        public Task<IReadOnlyList<EvmLog>> GetLogsAsync(EvmLogFilter filter, CancellationToken cancellationToken) => inner.GetLogsAsync(filter, cancellationToken);

        public Task<IReadOnlyList<EvmEndpointProbe>> ProbeEndpointsAsync(CancellationToken cancellationToken) => inner.ProbeEndpointsAsync(cancellationToken);
    }
}
