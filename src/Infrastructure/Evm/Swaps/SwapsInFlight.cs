using System.Collections.Concurrent;
using VantaBot.Trading.Perps;

namespace VantaBot.Infrastructure.Evm.Swaps;

/// <summary>
/// The intents this process's venue is executing right now (waiting for its turn, approving, swapping). Recovery asks
/// before it ends an intent that has no swap transaction yet: one still queued here is in flight, not lost, however
/// long its turn takes.
/// </summary>
public sealed class SwapsInFlight
{
    private readonly ConcurrentDictionary<IntentId, byte> _executing = new();

    public bool Contains(IntentId intent) => _executing.ContainsKey(intent);

    public IDisposable Begin(IntentId intent)
    {
        _executing[intent] = 0;
        return new End(_executing, intent);
    }

    private sealed class End(ConcurrentDictionary<IntentId, byte> executing, IntentId intent) : IDisposable
    {
        public void Dispose() => executing.TryRemove(intent, out _);
    }
}
