using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Trading.Swaps;

namespace VantaBot.Infrastructure.Evm.Swaps;

/// <summary>What a mined swap did, read from its receipt rather than from what the router promised.</summary>
public static class SwapReceipts
{
    private static readonly EvmHash TransferTopic = EvmHash.FromBytes(UniswapContracts.Transfer.Topic0);

    /// <summary>
    /// The token-out amount the wallet received: every <c>Transfer</c> log of the token-out contract to the wallet in
    /// this receipt (a fee-on-transfer token shows what actually arrived). Null when there is none.
    /// </summary>
    public static BigInteger? AmountReceived(EvmReceipt receipt, EvmAddress tokenOut, EvmAddress wallet)
    {
        var to = EvmHash.FromBytes([.. new byte[12], .. wallet.ToBytes()]);
        var transfers = receipt.Logs
            .Where(l => !l.Removed && l.Address == tokenOut && l.Topics.Count == 3 && l.Topics[0] == TransferTopic && l.Topics[2] == to && l.Data.Length == 32)
            .Select(l => new BigInteger(l.Data, isUnsigned: true, isBigEndian: true))
            .ToArray();
        return transfers.Length == 0 ? null : transfers.Aggregate(BigInteger.Zero, (sum, value) => sum + value);
    }

    /// <summary>The fee the transaction paid, in wei.</summary>
    public static BigInteger GasPaid(EvmReceipt receipt) => receipt.GasUsed * receipt.EffectiveGasPrice;

    /// <summary>The rejection code of a revert: the routers' own slippage messages are <see cref="SwapRejectionCodes.Slippage"/>.</summary>
    public static string RejectionCode(string revertReason) =>
        revertReason.Contains("INSUFFICIENT_OUTPUT_AMOUNT", StringComparison.Ordinal) || revertReason.Contains("Too little received", StringComparison.Ordinal)
            ? SwapRejectionCodes.Slippage
            : UniswapSwapVenue.RevertedCode;
}
