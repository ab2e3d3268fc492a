using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Chains;

namespace VantaBot.Infrastructure.Evm.Copy;

/// <summary>The EVM leader watcher's settings (<c>Copy__Watch…</c>); the confirmation depth is the chain's own setting.</summary>
public sealed class CopyWatchOptions
{
    public const string Section = "Copy";

    /// <summary>Confirmations the watcher waits for on a real chain whose <c>Chains__&lt;c&gt;__Confirmations</c> is unset.</summary>
    public const int DefaultConfirmations = 12;

    /// <summary>How often each chain is polled for new safe blocks.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Blocks per eth_getLogs request (providers cap the range; a refused range is split in halves).</summary>
    public int WatchBatchBlocks { get; set; } = 500;

    /// <summary>How far back a reorg deeper than the confirmation depth is searched for the fork (and re-scanned).</summary>
    public int WatchMaxReorgDepth { get; set; } = 256;

    /// <summary>
    /// The blocks a swap's block must have (its own included) before it is recorded: <c>Chains__&lt;c&gt;__Confirmations</c>,
    /// or when unset 1 on a dev chain and <see cref="DefaultConfirmations"/> elsewhere (deeper than the transaction queue's
    /// default of 2: a mirrored trade cannot be taken back, so the watcher waits longer than a trader's own swap).
    /// </summary>
    public static int Confirmations(ChainOptions chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.Confirmations ?? (chain.IsDevChain ? 1 : DefaultConfirmations);
    }
}

public sealed class CopyWatchOptionsValidator : IValidateOptions<CopyWatchOptions>
{
    public ValidateOptionsResult Validate(string? name, CopyWatchOptions options)
    {
        var failures = new List<string>();
        if (options.WatchInterval < TimeSpan.FromMilliseconds(50) || options.WatchInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Copy__WatchInterval: must be between 00:00:00.05 and 00:10:00 (was {options.WatchInterval}).");
        }

        if (options.WatchBatchBlocks is < 1 or > 100_000)
        {
            failures.Add($"Copy__WatchBatchBlocks: must be between 1 and 100000 (was {options.WatchBatchBlocks}).");
        }

        if (options.WatchMaxReorgDepth is < 1 or > 100_000)
        {
            failures.Add($"Copy__WatchMaxReorgDepth: must be between 1 and 100000 (was {options.WatchMaxReorgDepth}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
