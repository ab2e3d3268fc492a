using System.Numerics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Swaps;

namespace VantaBot.Infrastructure.Evm.Copy;

/// <summary>What one poll did: the head it saw, the last block deep enough to scan, where the cursor ended.</summary>
public sealed record LeaderWatchPoll(long Head, long SafeBlock, long? Cursor, int Recorded, int? WalkedBackBlocks = null);

/// <summary>
/// Turns the swaps of followed EVM wallets on one chain's routers into <see cref="LeaderTrade.Swap"/> records.
/// A poll scans the blocks after the persisted cursor up to the last one with the chain's confirmation depth, in
/// bounded batches; each batch records its swaps first and moves the cursor after, so a crash in between re-reads
/// the batch and the unique source key keeps the record single. A swap in a block that is reorganised away before
/// it reaches the depth is never read. A reorg deeper than the depth (the cursor's block changed) is walked back to
/// a block still on the chain and re-scanned; what was recorded from the dropped blocks stays recorded.
/// </summary>
public sealed class EvmLeaderWatcher : IDisposable
{
    /// <summary>Watched addresses per eth_getLogs topic list (providers limit the filter's size).</summary>
    private const int AddressesPerQuery = 100;

    private readonly SwapChain _chain;
    private readonly IEvmRpcClient _rpc;
    private readonly IServiceScopeFactory _scopes;
    private readonly CopyWatchOptions _options;
    private readonly LeaderWatchMetrics _metrics;
    private readonly ILogger<EvmLeaderWatcher> _logger;
    private readonly IReadOnlySet<EvmAddress> _routers;
    private readonly Dictionary<EvmAddress, SwapToken> _tokens;
    private readonly CursorTrail _trail;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public EvmLeaderWatcher(
        SwapChain chain,
        ChainOptions chainOptions,
        IEvmRpcClient rpc,
        IServiceScopeFactory scopes,
        CopyWatchOptions options,
        LeaderWatchMetrics metrics,
        ILogger<EvmLeaderWatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(chainOptions);
        _chain = chain;
        _rpc = rpc;
        _scopes = scopes;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        Confirmations = CopyWatchOptions.Confirmations(chainOptions);
        _routers = new[] { chainOptions.Routers.UniswapV2Router, chainOptions.Routers.UniswapV3Router }
            .Where(r => !string.IsNullOrWhiteSpace(r))
            .Select(r => EvmAddress.Parse(r!))
            .ToHashSet();
        _tokens = chain.Tokens.ToDictionary(t => EvmAddress.Parse(t.Address));
        _trail = new CursorTrail(1024);
    }

    public string Chain => _chain.Name;

    /// <summary>Blocks a swap's block needs, its own included, before the swap is recorded.</summary>
    public int Confirmations { get; }

    /// <summary>One poll; polls of one watcher never overlap.</summary>
    public async Task<LeaderWatchPoll> PollAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await PollOnceAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<LeaderWatchPoll> PollOnceAsync(CancellationToken cancellationToken)
    {
        var head = (long)await _rpc.GetBlockNumberAsync(cancellationToken);
        var safe = head - Confirmations + 1;
        var cursor = await UseAsync(sp => sp.GetRequiredService<IChainCursorStore>().FindAsync(Chain, cancellationToken));
        if (safe < 0)
        {
            return new LeaderWatchPoll(head, safe, cursor?.BlockNumber, 0); // a chain younger than the depth
        }

        if (cursor is null)
        {
            // History before the bot watched is not replayed: a trade made before anyone could follow is not copied.
            var start = await RequireBlockAsync(safe, cancellationToken);
            cursor = new ChainCursor(safe, start.Hash);
            await SaveCursorAsync(cursor, cancellationToken);
            _logger.LogInformation("EVM {Chain}: leader watcher starts at block {Block} ({Confirmations} confirmations); earlier blocks are not replayed", Chain, safe, Confirmations);
            _metrics.Lag(Chain, head - safe);
            return new LeaderWatchPoll(head, safe, safe, 0);
        }

        var checkedCursor = await EnsureOnChainAsync(cursor, head, cancellationToken);
        if (checkedCursor is null)
        {
            return new LeaderWatchPoll(head, safe, cursor.BlockNumber, 0);
        }

        int? walkedBack = checkedCursor == cursor ? null : (int)(cursor.BlockNumber - checkedCursor.BlockNumber);
        cursor = checkedCursor;
        var watched = cursor.BlockNumber < safe ? await WatchedAsync(cancellationToken) : new HashSet<EvmAddress>();
        var recorded = 0;
        while (cursor.BlockNumber < safe)
        {
            var to = Math.Min(cursor.BlockNumber + _options.WatchBatchBlocks, safe);
            var scan = await ScanAsync(cursor, to, watched, cancellationToken);
            if (scan is null)
            {
                break; // the chain moved under the scan: the next poll checks the cursor again
            }

            recorded += scan.Value.Recorded;
            cursor = scan.Value.Cursor;
        }

        _metrics.Lag(Chain, head - cursor.BlockNumber);
        return new LeaderWatchPoll(head, safe, cursor.BlockNumber, recorded, walkedBack);
    }

    /// <summary>
    /// The cursor when its block still has the hash it was scanned with; else (a reorg deeper than the confirmation
    /// depth) the newest earlier position still on the chain, saved as the new cursor. Null when the node does not
    /// have the cursor's block yet (a lagging endpoint): this poll is skipped.
    /// </summary>
    private async Task<ChainCursor?> EnsureOnChainAsync(ChainCursor cursor, long head, CancellationToken cancellationToken)
    {
        var block = await _rpc.GetBlockAsync(BlockTag.Number(cursor.BlockNumber), cancellationToken);
        if (block is null)
        {
            _logger.LogDebug("EVM {Chain}: the node has no block {Block} (the cursor) yet; waiting", Chain, cursor.BlockNumber);
            return null;
        }

        if (block.Hash == cursor.BlockHash)
        {
            return cursor;
        }

        var floor = Math.Max(0, cursor.BlockNumber - _options.WatchMaxReorgDepth);
        ChainCursor? anchor = null;
        foreach (var earlier in _trail.Below(cursor.BlockNumber, floor))
        {
            var then = await _rpc.GetBlockAsync(BlockTag.Number(earlier.BlockNumber), cancellationToken);
            if (then is not null && then.Hash == earlier.BlockHash)
            {
                anchor = earlier;
                break;
            }
        }

        var verified = anchor is not null;
        if (anchor is null)
        {
            // No remembered block matches (e.g. after a restart): rewind the bound; re-reading is harmless.
            anchor = new ChainCursor(floor, (await RequireBlockAsync(floor, cancellationToken)).Hash);
        }

        await SaveCursorAsync(anchor, cancellationToken);
        _metrics.DeepReorg(Chain);
        _logger.LogWarning(
            "EVM {Chain}: block {Block} under the copy cursor was reorganised (scanned as {OldHash}, now {NewHash}): a reorg of at least {Depth} blocks, "
            + "deeper than the confirmation depth of {Confirmations}. Walking back {Back} blocks to block {Anchor} ({How}) and re-scanning. Leader swaps "
            + "already recorded from the dropped blocks stay recorded and may have been mirrored: they cannot be un-mirrored.",
            Chain,
            cursor.BlockNumber,
            cursor.BlockHash,
            block.Hash,
            head - cursor.BlockNumber + 1,
            Confirmations,
            cursor.BlockNumber - anchor.BlockNumber,
            anchor.BlockNumber,
            verified ? "its hash still matches" : $"no remembered block matched; rewound Copy__WatchMaxReorgDepth={_options.WatchMaxReorgDepth}");
        return anchor;
    }

    /// <summary>Scans (cursor, to]: records the swaps found, then moves the cursor to <paramref name="to"/>.</summary>
    private async Task<(ChainCursor Cursor, int Recorded)?> ScanAsync(ChainCursor cursor, long to, IReadOnlySet<EvmAddress> watched, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<long, EvmBlock>();
        var first = await RequireBlockAsync(cursor.BlockNumber + 1, cancellationToken);
        if (first.ParentHash != cursor.BlockHash)
        {
            _logger.LogWarning("EVM {Chain}: block {Block} does not extend the cursor's block {Cursor}; the chain reorganised, the next poll walks back", Chain, first.Number, cursor.BlockNumber);
            return null;
        }

        headers[(long)first.Number] = first;
        var last = headers.GetValueOrDefault(to) ?? await RequireBlockAsync(to, cancellationToken);
        headers[to] = last;
        var trades = watched.Count == 0 ? [] : await FindSwapsAsync(cursor.BlockNumber + 1, to, watched, headers, cancellationToken);
        if (trades is null || (await RequireBlockAsync(to, cancellationToken)).Hash != last.Hash)
        {
            _logger.LogWarning("EVM {Chain}: blocks {From}–{To} changed while they were read; they are read again next poll", Chain, cursor.BlockNumber + 1, to);
            return null;
        }

        var recorded = 0;
        await using (var scope = _scopes.CreateAsyncScope())
        {
            var inbox = scope.ServiceProvider.GetRequiredService<ILeaderTradeInbox>();
            foreach (var trade in trades)
            {
                if (await inbox.RecordAsync(trade, cancellationToken))
                {
                    recorded++;
                    _logger.LogInformation(
                        "EVM {Chain}: leader {Leader} swapped {AmountIn} {TokenIn} for {AmountOut} {TokenOut} in block {Block} ({Hash})",
                        Chain, trade.Leader, trade.AmountIn, trade.TokenIn, trade.AmountOut, trade.TokenOut, trade.BlockNumber, trade.TransactionHash);
                }
            }
        }

        // Only after the trades are recorded: a crash before this line re-reads the range, and the source key keeps each trade single.
        var next = new ChainCursor(to, last.Hash);
        await SaveCursorAsync(next, cancellationToken);
        _metrics.Recorded(Chain, recorded);
        return (next, recorded);
    }

    /// <summary>The swaps of watched leaders in [from, to]; null when a receipt no longer matches the chain read so far.</summary>
    private async Task<List<LeaderTrade.Swap>?> FindSwapsAsync(long from, long to, IReadOnlySet<EvmAddress> watched, Dictionary<long, EvmBlock> headers, CancellationToken cancellationToken)
    {
        // A swap sends a token out of the leader's wallet, so Transfer logs from a watched address find every candidate;
        // the receipt then shows the whole transaction (what arrived, who sent it, to which contract, whether it succeeded).
        var candidates = new Dictionary<EvmHash, (BigInteger Block, BigInteger Index)>();
        foreach (var chunk in watched.Order().Chunk(AddressesPerQuery))
        {
            var topics = chunk.Select(LeaderSwapReader.Topic).ToArray();
            foreach (var log in await GetLogsAsync(from, to, topics, cancellationToken))
            {
                if (log.Removed || log.TransactionHash is not { } hash || log.BlockNumber is not { } block)
                {
                    continue;
                }

                if (!candidates.TryGetValue(hash, out var seen) || (block, log.LogIndex).CompareTo(seen) < 0)
                {
                    candidates[hash] = (block, log.LogIndex);
                }
            }
        }

        var trades = new List<LeaderTrade.Swap>();
        foreach (var hash in candidates.OrderBy(c => c.Value).Select(c => c.Key))
        {
            var receipt = await _rpc.GetTransactionReceiptAsync(hash, cancellationToken);
            if (receipt is null)
            {
                return null; // logged a moment ago, gone now: the chain moved
            }

            var block = (long)receipt.BlockNumber;
            if (!headers.TryGetValue(block, out var header))
            {
                header = await RequireBlockAsync(block, cancellationToken);
                headers[block] = header;
            }

            if (header.Hash != receipt.BlockHash)
            {
                return null;
            }

            if (Read(receipt, watched, header) is { } trade)
            {
                trades.Add(trade);
            }
        }

        return trades;
    }

    private LeaderTrade.Swap? Read(EvmReceipt receipt, IReadOnlySet<EvmAddress> watched, EvmBlock block)
    {
        var hash = receipt.TransactionHash.Hex;
        if (!watched.Contains(receipt.From))
        {
            _logger.LogDebug("EVM {Chain}: {Hash} moved a leader's tokens but was sent by {From}; not the leader's swap", Chain, hash, receipt.From);
            return null;
        }

        if (!LeaderSwapReader.TryRead(receipt, receipt.From, _routers, out var flows, out var reason))
        {
            _logger.LogDebug("EVM {Chain}: {Hash} of leader {Leader} is not a swap to mirror: {Reason}", Chain, hash, receipt.From, reason);
            return null;
        }

        if (!_tokens.TryGetValue(flows!.TokenIn, out var tokenIn) || !_tokens.TryGetValue(flows.TokenOut, out var tokenOut))
        {
            var unknown = _tokens.ContainsKey(flows.TokenIn) ? flows.TokenOut : flows.TokenIn;
            _logger.LogDebug("EVM {Chain}: {Hash} of leader {Leader} swaps token {Token}, which is not listed for this chain; it cannot be mirrored", Chain, hash, receipt.From, unknown);
            return null;
        }

        decimal amountIn, amountOut;
        try
        {
            amountIn = new TokenAmount(flows.AmountIn, tokenIn.Decimals).ToDecimal();
            amountOut = new TokenAmount(flows.AmountOut, tokenOut.Decimals).ToDecimal();
        }
        catch (OverflowException)
        {
            _logger.LogWarning("EVM {Chain}: {Hash} of leader {Leader} moved an amount too large to record; skipped", Chain, hash, receipt.From);
            return null;
        }

        return new LeaderTrade.Swap(
            SourceKey(Chain, receipt.TransactionHash),
            LeaderRef.Evm(receipt.From.ToString()),
            block.Time,
            Chain,
            tokenIn.Symbol,
            tokenOut.Symbol,
            amountIn,
            amountOut,
            hash,
            (long)receipt.BlockNumber);
    }

    /// <summary><c>evm:&lt;chain&gt;:&lt;tx hash&gt;</c>, both in lower case, so one swap has one key however the chain is spelt in the settings.</summary>
    public static string SourceKey(string chain, EvmHash transaction) => $"evm:{chain.ToLowerInvariant()}:{transaction.Hex}";

    /// <summary>eth_getLogs for Transfers from any of <paramref name="from"/>; a range the node refuses (too many results) is split in halves.</summary>
    private async Task<IReadOnlyList<EvmLog>> GetLogsAsync(long fromBlock, long toBlock, IReadOnlyList<EvmHash> fromTopics, CancellationToken cancellationToken)
    {
        var filter = new EvmLogFilter(BlockTag.Number(fromBlock), BlockTag.Number(toBlock))
        {
            Topics = [[LeaderSwapReader.Transfer], fromTopics],
        };
        try
        {
            return await _rpc.GetLogsAsync(filter, cancellationToken);
        }
        catch (EvmRpcException ex) when (toBlock > fromBlock)
        {
            _logger.LogDebug("EVM {Chain}: eth_getLogs {From}–{To} refused ({Error}); splitting the range", Chain, fromBlock, toBlock, ex.RpcMessage);
            var middle = fromBlock + ((toBlock - fromBlock) / 2);
            return [.. await GetLogsAsync(fromBlock, middle, fromTopics, cancellationToken), .. await GetLogsAsync(middle + 1, toBlock, fromTopics, cancellationToken)];
        }
    }

    private async Task<HashSet<EvmAddress>> WatchedAsync(CancellationToken cancellationToken)
    {
        var keys = await UseAsync(sp => sp.GetRequiredService<IFollowStore>().ListFollowedEvmAddressesAsync(cancellationToken));
        var watched = new HashSet<EvmAddress>();
        foreach (var key in keys)
        {
            if (EvmAddress.TryParse(key, out var address))
            {
                watched.Add(address);
            }
        }

        return watched;
    }

    private async Task<EvmBlock> RequireBlockAsync(long number, CancellationToken cancellationToken) =>
        await _rpc.GetBlockAsync(BlockTag.Number(number), cancellationToken)
        ?? throw new EvmBlockMissingException(Chain, number);

    private async Task SaveCursorAsync(ChainCursor cursor, CancellationToken cancellationToken)
    {
        await UseAsync(async sp =>
        {
            await sp.GetRequiredService<IChainCursorStore>().SaveAsync(Chain, cursor, cancellationToken);
            return true;
        });
        _trail.Add(cursor);
    }

    public void Dispose() => _gate.Dispose();

    private async Task<T> UseAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = _scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }
}

/// <summary>The node did not have a block the watcher needed (a lagging endpoint, or a reorg shortened the chain): the poll ends and the next one retries.</summary>
public sealed class EvmBlockMissingException(string chain, long block)
    : Exception($"EVM {chain}: the node does not have block {block} (a lagging endpoint or a reorg); the next poll tries again.");

