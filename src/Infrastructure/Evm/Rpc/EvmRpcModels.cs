using System.Globalization;
using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Rpc;

/// <summary>A 32-byte hash (transaction, block, log topic), kept as lower-case 0x hex.</summary>
public readonly record struct EvmHash
{
    private EvmHash(string hex) => Hex = hex;

    public string Hex { get; }

    public static EvmHash Parse(string text) =>
        TryParse(text, out var hash) ? hash : throw new FormatException($"'{text}' is not a 32-byte 0x hash");

    public static bool TryParse(string? text, out EvmHash hash)
    {
        hash = default;
        if (!Primitives.Hex.TryToBytes(text, out var bytes) || bytes.Length != 32)
        {
            return false;
        }

        hash = new EvmHash(Primitives.Hex.FromBytes(bytes));
        return true;
    }

    public static EvmHash FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 32 ? new EvmHash(Primitives.Hex.FromBytes(bytes)) : throw new ArgumentException("a hash is 32 bytes", nameof(bytes));

    public byte[] ToBytes() => Primitives.Hex.ToBytes(Hex);

    public override string ToString() => Hex;
}

/// <summary>A block parameter: a tag (latest, pending, safe, finalized, earliest) or a block number.</summary>
public readonly record struct BlockTag
{
    private BlockTag(string value) => Value = value;

    public string Value { get; }

    public static BlockTag Latest { get; } = new("latest");

    public static BlockTag Pending { get; } = new("pending");

    public static BlockTag Safe { get; } = new("safe");

    public static BlockTag Finalized { get; } = new("finalized");

    public static BlockTag Earliest { get; } = new("earliest");

    public static BlockTag Number(BigInteger number) => new(Primitives.Hex.FromQuantity(number));

    public override string ToString() => Value;
}

/// <summary>The head fields of a block the bot needs (time for deadlines, base fee for the gas policy, hashes for reorgs).</summary>
public sealed record EvmBlock(BigInteger Number, EvmHash Hash, EvmHash ParentHash, long Timestamp, BigInteger? BaseFeePerGas)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds(Timestamp);
}

public sealed record EvmLog(
    EvmAddress Address,
    IReadOnlyList<EvmHash> Topics,
    byte[] Data,
    BigInteger LogIndex,
    bool Removed,
    BigInteger? BlockNumber,
    EvmHash? BlockHash,
    EvmHash? TransactionHash);

public sealed record EvmReceipt(
    EvmHash TransactionHash,
    BigInteger Status,
    BigInteger BlockNumber,
    EvmHash BlockHash,
    BigInteger GasUsed,
    BigInteger EffectiveGasPrice,
    EvmAddress From,
    EvmAddress? To,
    EvmAddress? ContractAddress,
    IReadOnlyList<EvmLog> Logs)
{
    /// <summary>Status 1: the transaction executed; 0: it reverted (its fee is still paid).</summary>
    public bool Succeeded => Status == BigInteger.One;

    /// <summary>Blocks from the receipt's block to <paramref name="head"/>, both included; 0 when the head is behind it (a reorg or a lagging node).</summary>
    public BigInteger ConfirmationsAt(BigInteger head) => EvmConfirmations.Count(this, head);
}

public static class EvmConfirmations
{
    /// <summary>The block holding the receipt counts as the first confirmation.</summary>
    public static BigInteger Count(EvmReceipt receipt, BigInteger head) =>
        head >= receipt.BlockNumber ? head - receipt.BlockNumber + 1 : BigInteger.Zero;
}

/// <summary>A transaction as the node knows it; BlockNumber is null while it is pending.</summary>
public sealed record EvmTransaction(
    EvmHash Hash,
    EvmAddress From,
    EvmAddress? To,
    BigInteger Nonce,
    BigInteger Value,
    byte[] Input,
    BigInteger Gas,
    BigInteger? GasPrice,
    BigInteger? MaxFeePerGas,
    BigInteger? MaxPriorityFeePerGas,
    BigInteger? BlockNumber,
    EvmHash? BlockHash,
    int Type)
{
    public bool IsPending => BlockNumber is null;
}

/// <summary>The call object of eth_call and eth_estimateGas.</summary>
public sealed record EvmCallRequest(EvmAddress To, byte[] Data)
{
    public EvmAddress? From { get; init; }

    public BigInteger? Value { get; init; }

    public BigInteger? Gas { get; init; }
}

/// <summary>
/// eth_getLogs filter. Topics: one entry per position; null matches anything, several hashes match any of them.
/// </summary>
public sealed record EvmLogFilter(BlockTag FromBlock, BlockTag ToBlock)
{
    public IReadOnlyList<EvmAddress> Addresses { get; init; } = [];

    public IReadOnlyList<IReadOnlyList<EvmHash>?> Topics { get; init; } = [];

    public EvmHash? BlockHash { get; init; }
}

/// <summary>One endpoint's answer to a health probe; the URL is already redacted.</summary>
public sealed record EvmEndpointProbe(string Endpoint, bool Answers, BigInteger? Head, string Detail)
{
    public override string ToString() => Answers
        ? string.Create(CultureInfo.InvariantCulture, $"{Endpoint} ok (head {Head})")
        : $"{Endpoint} down ({Detail})";
}
