using System.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Abi;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Evm.Transactions;
using VantaBot.Risk;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Wallets;

namespace VantaBot.Infrastructure.Evm.Swaps;

/// <summary>
/// LIVE swaps through the Uniswap routers from the trader's custodial wallet, on the route the trader was quoted.
/// Idempotent on the intent: the transaction queue keeps every transaction by intent, and an intent that already has a
/// swap transaction is only ever waited on, never sent again. The router gets an approval of exactly the input (never
/// unlimited) when the allowance is short; a failed approval ends the swap before anything is swapped. The deadline
/// comes from chain time. A swap not mined within <c>Routers__SwapWaitTimeout</c> throws <see cref="TimeoutException"/>
/// out of <see cref="ExecuteAsync"/>: the intent stays Submitted and recovery settles it through <see cref="ResolveAsync"/>.
/// </summary>
public sealed class UniswapSwapVenue(
    IEvmTransactionSender sender,
    IEvmRpcClients clients,
    IOptions<ChainsOptions> chains,
    IWalletDirectory wallets,
    ISwapIntentStore intents,
    SwapSpenderLocks locks,
    SwapsInFlight inFlight,
    ILogger<UniswapSwapVenue> logger) : ISwapVenue
{
    public const string ApprovePurpose = "approve";
    public const string SwapPurpose = "swap";
    public const string RevertedCode = "Reverted";
    public const string ApprovalFailedCode = "ApprovalFailed";
    public const string DroppedCode = "Dropped";
    public const string InterruptedCode = "Interrupted";

    public ExecutionMode Mode => ExecutionMode.Live;

    public async Task<VenueResult<SwapFill>> ExecuteAsync(SwapExecution execution, CancellationToken cancellationToken)
    {
        var intent = execution.Intent;
        using var executing = inFlight.Begin(intent.Id);
        var sent = await sender.FindByIntentAsync(intent.Id, cancellationToken);
        if (sent.LastOrDefault(t => t.Purpose == SwapPurpose) is { } earlier)
        {
            // Asked again for an intent whose swap is already on its way: wait for that one, never send a second.
            logger.LogInformation("Swap intent {IntentId} already has swap transaction {Hash}; waiting for it", intent.Id, earlier.Hash);
            var (paid, _) = await ApprovalsAsync(sent, cancellationToken);
            return await AwaitSwapAsync(intent, earlier, paid, WaitTimeout(intent.Chain), cancellationToken);
        }

        var (plan, problem) = await PlanAsync(intent, cancellationToken);
        if (plan is null)
        {
            return problem!;
        }

        using var turn = await locks.AcquireAsync(plan.Chain, plan.From, plan.TokenIn, plan.Router, cancellationToken);
        if (await StillSubmittedAsync(intent, cancellationToken) is { } ended)
        {
            return ended;
        }

        var approvalGas = BigInteger.Zero;
        var allowance = (BigInteger)UniswapContracts.Allowance.DecodeOutput(await plan.Rpc.CallAsync(
            new EvmCallRequest(plan.TokenIn, UniswapContracts.Allowance.EncodeCall(plan.From, plan.Router)), BlockTag.Latest, cancellationToken))[0]!;
        if (allowance < intent.AmountIn.Raw)
        {
            var (paid, refused) = await ApproveAsync(plan, sent, cancellationToken);
            if (refused is not null)
            {
                return refused;
            }

            approvalGas = paid;
        }

        // Recovery may have ended the intent while the approval was mined; then nothing more may be sent.
        if (await StillSubmittedAsync(intent, cancellationToken) is { } interrupted)
        {
            return interrupted;
        }

        var head = await plan.Rpc.GetBlockAsync(BlockTag.Latest, cancellationToken)
            ?? throw new InvalidOperationException($"{plan.Chain}: the node has no latest block");
        var deadline = new BigInteger(head.Timestamp) + (long)plan.Settings.Routers.SwapDeadline.TotalSeconds;
        var data = SwapCall(plan, intent.AmountIn.Raw, intent.MinimumOut.Raw, deadline);
        var (gasLimit, revert) = await GasLimitAsync(plan, plan.Router, data, cancellationToken);
        if (revert is not null)
        {
            return VenueResult.Reject<SwapFill>(
                SwapReceipts.RejectionCode(revert),
                $"The swap would revert on chain ({revert}); it was not sent and nothing was swapped.");
        }

        var swap = await sender.SubmitAsync(
            new EvmTxRequest(plan.Chain, plan.Wallet, plan.From, plan.Router, data, BigInteger.Zero, gasLimit, SwapPurpose, intent.Id), cancellationToken);
        logger.LogInformation("Swap intent {IntentId} sent as {Hash} on {Chain} via {Route}", intent.Id, swap.Hash, plan.Chain, plan.Route.Name);
        return await AwaitSwapAsync(intent, swap, approvalGas, plan.Settings.Routers.SwapWaitTimeout, cancellationToken);
    }

    public async Task<SwapResolution> ResolveAsync(SwapIntent intent, CancellationToken cancellationToken)
    {
        var sent = await sender.FindByIntentAsync(intent.Id, cancellationToken);
        var (approvalGas, pendingApproval) = await ApprovalsAsync(sent, cancellationToken);
        if (pendingApproval is not null)
        {
            return new SwapResolution.InFlight($"approval {pendingApproval.Hash} is not mined yet");
        }

        if (sent.LastOrDefault(t => t.Purpose == SwapPurpose) is not { } swap)
        {
            // This process may still be at work on it (queued for its turn, or between a mined approval and the swap).
            // Otherwise nothing was sent and nothing will be: the transaction queue persists before it broadcasts, and
            // an execution checks the intent is still Submitted right before it sends the swap.
            return inFlight.Contains(intent.Id)
                ? new SwapResolution.InFlight("no swap transaction yet; the swap is still being executed")
                : new SwapResolution.Failed("no swap transaction was sent for this swap; nothing was swapped");
        }

        var outcome = await sender.ResolveAsync(swap, cancellationToken);
        if (outcome is null)
        {
            return new SwapResolution.InFlight($"swap transaction {swap.Hash} is not mined yet");
        }

        return outcome.Transaction.State switch
        {
            EvmTxState.Succeeded when outcome.Receipt is { } receipt => new SwapResolution.Filled(
                Fill(intent, EvmAddress.Parse(intent.TokenOut.Address), EvmAddress.Parse(intent.WalletAddress), receipt, approvalGas)),
            EvmTxState.Reverted => new SwapResolution.Failed($"swap transaction {outcome.Transaction.Hash} reverted ({outcome.RevertReason ?? "no reason given"}); nothing was swapped"),
            EvmTxState.Dropped => new SwapResolution.Failed($"swap transaction {outcome.Transaction.Hash} was dropped ({outcome.Transaction.Detail ?? "it can never be mined"}); nothing was swapped"),
            _ => new SwapResolution.InFlight($"swap transaction {swap.Hash} is {outcome.Transaction.State}"),
        };
    }

    private async Task<(SwapPlan? Plan, VenueResult<SwapFill>? Problem)> PlanAsync(SwapIntent intent, CancellationToken cancellationToken)
    {
        if (!chains.Value.Chains.TryGetValue(intent.Chain, out var settings) || clients.Find(intent.Chain) is not { } rpc)
        {
            return (null, VenueResult.Reject<SwapFill>(SwapRejectionCodes.UnknownChain, $"'{intent.Chain}' is not a configured chain; nothing was sent."));
        }

        if (!UniswapRoute.TryParse(intent.Route, out var route)
            || (route.Version == UniswapVersion.V2 ? !settings.Routers.OffersUniswapV2 : !settings.Routers.OffersUniswapV3))
        {
            return (null, VenueResult.Reject<SwapFill>(SwapRejectionCodes.NoRoute, $"The route '{intent.Route}' is not offered on {intent.Chain}; nothing was sent."));
        }

        var wallet = await wallets.FindAsync(intent.User, ChainFamily.Evm, cancellationToken);
        if (wallet is null || !EvmAddress.TryParse(wallet.Address, out var from) || from != EvmAddress.Parse(intent.WalletAddress))
        {
            return (null, VenueResult.Reject<SwapFill>(SwapRejectionCodes.NoWallet, "The swap's wallet is not your custodial wallet; nothing was sent."));
        }

        var router = EvmAddress.Parse(route.Version == UniswapVersion.V2 ? settings.Routers.UniswapV2Router! : settings.Routers.UniswapV3Router!);
        return (new SwapPlan(intent, intent.Chain, settings, rpc, route, router, wallet.Id, from, EvmAddress.Parse(intent.TokenIn.Address), EvmAddress.Parse(intent.TokenOut.Address)), null);
    }

    /// <summary>The gas the intent's mined approvals paid, and the first approval not mined yet (if any).</summary>
    private async Task<(BigInteger Paid, EvmTxRecord? Pending)> ApprovalsAsync(IReadOnlyList<EvmTxRecord> sent, CancellationToken cancellationToken)
    {
        var paid = BigInteger.Zero;
        foreach (var approval in sent.Where(t => t.Purpose == ApprovePurpose))
        {
            if (await sender.ResolveAsync(approval, cancellationToken) is not { } outcome)
            {
                return (paid, approval);
            }

            paid += outcome.Receipt is { } receipt ? SwapReceipts.GasPaid(receipt) : BigInteger.Zero;
        }

        return (paid, null);
    }

    /// <summary>Null while the intent is still Submitted; otherwise (recovery ended it while this swap waited) the refusal.</summary>
    private async Task<VenueResult<SwapFill>?> StillSubmittedAsync(SwapIntent intent, CancellationToken cancellationToken) =>
        await intents.FindAsync(intent.Id, cancellationToken) is { State: IntentState.Submitted }
            ? null
            : VenueResult.Reject<SwapFill>(InterruptedCode, "The swap was ended by recovery before it was sent; nothing was swapped.");

    private static byte[] SwapCall(SwapPlan plan, BigInteger amountIn, BigInteger minimumOut, BigInteger deadline) =>
        plan.Route.Version == UniswapVersion.V2
            ? UniswapContracts.V2SwapCall(amountIn, minimumOut, plan.TokenIn, plan.TokenOut, plan.From, deadline)
            : UniswapContracts.V3SwapCall(plan.TokenIn, plan.TokenOut, plan.Route.Fee, plan.From, deadline, amountIn, minimumOut);

    /// <summary>Approves the router for exactly the intent's input and waits for it; the gas it paid, or why the swap stops.</summary>
    private async Task<(BigInteger Paid, VenueResult<SwapFill>? Refused)> ApproveAsync(SwapPlan plan, IReadOnlyList<EvmTxRecord> sent, CancellationToken cancellationToken)
    {
        var amount = plan.Intent.AmountIn;
        var what = $"The approval of {amount.Format(plan.Intent.TokenIn.Symbol)} for the {plan.Route.Name} router";

        // An earlier attempt's approval still pending is waited on rather than sent twice.
        var approval = sent.LastOrDefault(t => t.Purpose == ApprovePurpose && t.State == EvmTxState.Pending);
        if (approval is null)
        {
            var data = UniswapContracts.ApproveCall(plan.Router, amount.Raw);
            var (gasLimit, revert) = await GasLimitAsync(plan, plan.TokenIn, data, cancellationToken);
            if (revert is not null)
            {
                return (0, VenueResult.Reject<SwapFill>(ApprovalFailedCode, $"{what} would revert ({revert}); nothing was sent or swapped."));
            }

            approval = await sender.SubmitAsync(
                new EvmTxRequest(plan.Chain, plan.Wallet, plan.From, plan.TokenIn, data, BigInteger.Zero, gasLimit, ApprovePurpose, plan.Intent.Id), cancellationToken);
            logger.LogInformation("Swap intent {IntentId}: exact approval sent as {Hash}", plan.Intent.Id, approval.Hash);
        }

        if (approval.State == EvmTxState.Dropped)
        {
            return (0, VenueResult.Reject<SwapFill>(ApprovalFailedCode, $"{what} was refused ({approval.Detail ?? "dropped"}); nothing was swapped."));
        }

        var outcome = await sender.WaitAsync(approval, plan.Settings.Routers.SwapWaitTimeout, cancellationToken);
        var paid = outcome.Receipt is { } receipt ? SwapReceipts.GasPaid(receipt) : BigInteger.Zero;
        return outcome.Transaction.State switch
        {
            EvmTxState.Succeeded => (paid, null),
            EvmTxState.Reverted => (paid, VenueResult.Reject<SwapFill>(ApprovalFailedCode, $"{what} reverted ({outcome.RevertReason ?? "no reason given"}); nothing was swapped.")),
            EvmTxState.Dropped => (paid, VenueResult.Reject<SwapFill>(ApprovalFailedCode, $"{what} was dropped ({outcome.Transaction.Detail ?? "it can never be mined"}); nothing was swapped.")),
            _ => throw new InvalidOperationException($"the approval {approval.Hash} ended {outcome.Transaction.State}"),
        };
    }

    /// <summary>eth_estimateGas plus 20% headroom, or the decoded reason when the call would revert.</summary>
    private static async Task<(BigInteger GasLimit, string? Revert)> GasLimitAsync(SwapPlan plan, EvmAddress to, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            var estimate = await plan.Rpc.EstimateGasAsync(new EvmCallRequest(to, data) { From = plan.From }, cancellationToken);
            return (estimate * 6 / 5, null);
        }
        catch (EvmRpcException ex) when (ex.IsRevert)
        {
            return (BigInteger.Zero, ex.RevertData is { Length: > 0 } revertData ? RevertReason.Decode(revertData) : ex.RpcMessage);
        }
    }

    private async Task<VenueResult<SwapFill>> AwaitSwapAsync(SwapIntent intent, EvmTxRecord swap, BigInteger approvalGas, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (swap.State == EvmTxState.Dropped)
        {
            return VenueResult.Reject<SwapFill>(DroppedCode, $"The swap transaction was refused ({swap.Detail ?? "dropped"}); nothing was swapped.");
        }

        var outcome = await sender.WaitAsync(swap, timeout, cancellationToken);
        switch (outcome.Transaction.State)
        {
            case EvmTxState.Succeeded when outcome.Receipt is { } receipt:
                return VenueResult.Ok(Fill(intent, EvmAddress.Parse(intent.TokenOut.Address), EvmAddress.Parse(intent.WalletAddress), receipt, approvalGas));
            case EvmTxState.Reverted:
                var reason = outcome.RevertReason ?? "no reason given";
                return VenueResult.Reject<SwapFill>(
                    SwapReceipts.RejectionCode(reason), $"The swap reverted on chain ({reason}); nothing was swapped, the gas was spent.");
            case EvmTxState.Dropped:
                return VenueResult.Reject<SwapFill>(DroppedCode, $"The swap transaction {swap.Hash} was dropped ({outcome.Transaction.Detail ?? "it can never be mined"}); nothing was swapped.");
            default:
                throw new InvalidOperationException($"the swap {swap.Hash} ended {outcome.Transaction.State}");
        }
    }

    private SwapFill Fill(SwapIntent intent, EvmAddress tokenOut, EvmAddress wallet, EvmReceipt receipt, BigInteger approvalGas)
    {
        var received = SwapReceipts.AmountReceived(receipt, tokenOut, wallet);
        if (received is null)
        {
            // The swap executed, so the input is spent; the wallet's balance (read fresh on every swap) stays the truth.
            logger.LogError("Swap intent {IntentId}: transaction {Hash} succeeded without a {Token} Transfer to the wallet", intent.Id, receipt.TransactionHash, intent.TokenOut.Symbol);
        }

        return new SwapFill(
            intent.Id,
            new TokenAmount(received ?? BigInteger.Zero, intent.TokenOut.Decimals),
            receipt.TransactionHash.Hex,
            new TokenAmount(approvalGas + SwapReceipts.GasPaid(receipt), RpcWalletTokenBalances.NativeDecimals));
    }

    private TimeSpan WaitTimeout(string chain) =>
        chains.Value.Chains.TryGetValue(chain, out var settings) ? settings.Routers.SwapWaitTimeout : new ChainRouters().SwapWaitTimeout;

    private sealed record SwapPlan(
        SwapIntent Intent,
        string Chain,
        ChainOptions Settings,
        IEvmRpcClient Rpc,
        UniswapRoute Route,
        EvmAddress Router,
        WalletId Wallet,
        EvmAddress From,
        EvmAddress TokenIn,
        EvmAddress TokenOut);
}
