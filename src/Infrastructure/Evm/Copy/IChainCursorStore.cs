using VantaBot.Infrastructure.Evm.Rpc;

namespace VantaBot.Infrastructure.Evm.Copy;

/// <summary>The last block a leader watcher scanned on a chain, with the hash it had then.</summary>
public sealed record ChainCursor(long BlockNumber, EvmHash BlockHash);

/// <summary>Where each chain's watcher cursor is kept (the database, so a restart resumes where it stopped).</summary>
public interface IChainCursorStore
{
    /// <summary>Null before the chain was ever watched.</summary>
    Task<ChainCursor?> FindAsync(string chain, CancellationToken cancellationToken);

    /// <summary>Sets the chain's cursor (forward after a scan, backward after a deep reorg).</summary>
    Task SaveAsync(string chain, ChainCursor cursor, CancellationToken cancellationToken);
}
