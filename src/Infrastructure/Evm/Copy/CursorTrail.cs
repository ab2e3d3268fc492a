namespace VantaBot.Infrastructure.Evm.Copy;

/// <summary>
/// The cursor positions this watcher committed recently (block number and hash), newest last. The table keeps only the
/// latest; these earlier ones let a reorg deeper than the confirmation depth be walked back to the newest block that
/// is still on the chain, instead of a blind rewind. Lost on restart (then the rewind is the bounded fallback).
/// </summary>
internal sealed class CursorTrail(int capacity)
{
    private readonly List<ChainCursor> _entries = [];

    public void Add(ChainCursor cursor)
    {
        // A cursor moved back (deep reorg) invalidates everything recorded above it.
        _entries.RemoveAll(c => c.BlockNumber >= cursor.BlockNumber);
        _entries.Add(cursor);
        if (_entries.Count > capacity)
        {
            _entries.RemoveRange(0, _entries.Count - capacity);
        }
    }

    /// <summary>Positions below <paramref name="block"/> and not below <paramref name="floor"/>, newest first.</summary>
    public IReadOnlyList<ChainCursor> Below(long block, long floor) =>
        _entries.Where(c => c.BlockNumber < block && c.BlockNumber >= floor).OrderByDescending(c => c.BlockNumber).ToArray();
}
