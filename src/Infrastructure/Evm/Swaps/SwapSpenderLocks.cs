using System.Collections.Concurrent;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Swaps;

/// <summary>
/// One swap at a time per (chain, wallet, input token, router), from the allowance check until the swap is mined.
/// ERC-20 <c>approve</c> sets the allowance rather than adding to it, so two concurrent swaps with exact approvals
/// would otherwise overwrite each other's allowance, or the second would see the first's unspent allowance, skip its
/// own approval and revert. Swaps of other wallets, tokens or routers run in parallel.
/// In-process only: several bot instances trading one wallet need the queue's database to order them (not done).
/// </summary>
public sealed class SwapSpenderLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string chain, EvmAddress wallet, EvmAddress token, EvmAddress spender, CancellationToken cancellationToken)
    {
        var key = $"{chain.ToUpperInvariant()}/{wallet.LowerHex}/{token.LowerHex}/{spender.LowerHex}";
        var gate = _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
