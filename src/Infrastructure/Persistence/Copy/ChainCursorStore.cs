using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Evm.Copy;
using VantaBot.Infrastructure.Evm.Rpc;

namespace VantaBot.Infrastructure.Persistence.Copy;

/// <summary>The watcher cursors in <c>copy_chain_cursors</c>, one row per chain (names compared in lower case).</summary>
public sealed class ChainCursorStore(VantaBotDbContext db, TimeProvider time) : IChainCursorStore
{
    public async Task<ChainCursor?> FindAsync(string chain, CancellationToken cancellationToken)
    {
        var key = Key(chain);
        var row = await db.Set<ChainCursorEntity>().AsNoTracking().SingleOrDefaultAsync(c => c.Chain == key, cancellationToken);
        return row is null ? null : new ChainCursor(row.BlockNumber, EvmHash.Parse(row.BlockHash));
    }

    public async Task SaveAsync(string chain, ChainCursor cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var key = Key(chain);
        var now = time.GetUtcNow();
        var updated = await db.Set<ChainCursorEntity>().Where(c => c.Chain == key).ExecuteUpdateAsync(
            s => s.SetProperty(c => c.BlockNumber, cursor.BlockNumber).SetProperty(c => c.BlockHash, cursor.BlockHash.Hex).SetProperty(c => c.UpdatedAt, now),
            cancellationToken);
        if (updated > 0)
        {
            return;
        }

        var row = new ChainCursorEntity { Chain = key, BlockNumber = cursor.BlockNumber, BlockHash = cursor.BlockHash.Hex, UpdatedAt = now };
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance's watcher created the row first: write this position onto it. Both scanned the same
            // chain, and a cursor that moves back only re-reads blocks whose trades are already recorded once.
            db.Entry(row).State = EntityState.Detached;
            await db.Set<ChainCursorEntity>().Where(c => c.Chain == key).ExecuteUpdateAsync(
                s => s.SetProperty(c => c.BlockNumber, cursor.BlockNumber).SetProperty(c => c.BlockHash, cursor.BlockHash.Hex).SetProperty(c => c.UpdatedAt, now),
                cancellationToken);
        }
    }

    private static string Key(string chain) => chain.Trim().ToLowerInvariant();
}
