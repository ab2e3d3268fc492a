using System.Collections.Concurrent;

namespace VantaBot.Bench.Emulator;

/// <summary>
/// A nudge per chat that the bot has just had a message to it accepted by the emulator, so a simulated user reads
/// their chat once, right then, instead of polling it every few milliseconds: a real Telegram client gets a push,
/// and users polling the emulator at a fine interval cost the emulator more CPU than the traffic under test (the
/// reply must still be found in the chat through the emulator to count). A missed nudge only delays the read to
/// the user's fallback poll.
/// </summary>
internal sealed class ChatSignals
{
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _chats = new();
    private long _signalled;

    /// <summary>Messages signalled so far (a check that the bot's sends are observed at all).</summary>
    public long Signalled => Interlocked.Read(ref _signalled);

    public void Sent(long chatId)
    {
        Interlocked.Increment(ref _signalled);
        Chat(chatId).Release();
    }

    /// <returns>True when a message to <paramref name="chatId"/> was signalled, false when <paramref name="timeout"/> passed first.</returns>
    public Task<bool> WaitAsync(long chatId, TimeSpan timeout, CancellationToken cancellationToken) =>
        Chat(chatId).WaitAsync(timeout, cancellationToken);

    private SemaphoreSlim Chat(long chatId) => _chats.GetOrAdd(chatId, _ => new SemaphoreSlim(0));
}
