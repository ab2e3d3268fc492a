using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Trading.Execution;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;

namespace VantaBot.Trading.Swaps;

/// <summary>
/// The one trade path for a swap, DRY or LIVE alike (the venue decides which). <see cref="PreviewAsync"/> quotes and
/// checks without writing anything, for the confirmation card; <see cref="ExecuteAsync"/> runs on the tap: gates
/// again, re-quote when the card's quote is old, risk, quota, the wallet balance read right before the write-ahead
/// hold, submit, settle. Each state is persisted before the next external call.
/// </summary>
public sealed class SwapService(
    ISwapCatalog catalog,
    ISwapQuoter quoter,
    IWalletTokenBalances balances,
    ISwapIntentStore intents,
    SwapVenues venues,
    IExecutionModeResolver modes,
    TradeGates gates,
    SwapRiskCheck risk,
    SwapValuation valuation,
    IOptions<SwapOptions> options,
    TimeProvider time,
    ILogger<SwapService> logger)
{
    public async Task<SwapOutcome> PreviewAsync(SwapOrder order, string walletAddress, CancellationToken cancellationToken)
    {
        if (await intents.FindByIdempotencyKeyAsync(order.User, order.IdempotencyKey, cancellationToken) is { } earlier)
        {
            return new SwapOutcome.AlreadyHandled(earlier);
        }

        if (Resolve(order) is not { } tokens)
        {
            return Unresolvable(order);
        }

        var (tokenIn, tokenOut) = tokens;
        if (risk.CheckSlippage(order.SlippageBasisPoints) is { } badSlippage)
        {
            return badSlippage;
        }

        if (!TokenAmount.TryFromDecimal(order.AmountIn, tokenIn.Decimals, out var amountIn, out var amountProblem))
        {
            return new SwapOutcome.Rejected(SwapRejectionCodes.InvalidAmount, $"Cannot swap {order.AmountIn} {tokenIn.Symbol}: {amountProblem}.");
        }

        var notional = await valuation.NotionalUsdAsync(tokenIn, order.AmountIn, cancellationToken);
        var halt = await gates.CheckAsync(TradeGateStage.BeforeRisk, AttemptOf(order, notional), cancellationToken);
        if (!halt.Allowed)
        {
            return new SwapOutcome.Rejected(halt.Gate!, halt.Reason!);
        }

        var quoted = await quoter.QuoteAsync(order.Chain, tokenIn, tokenOut, amountIn, cancellationToken);
        if (quoted.Quote is not { } quote)
        {
            return new SwapOutcome.Rejected(SwapRejectionCodes.NoRoute, $"No quote for {tokenIn.Symbol} → {tokenOut.Symbol} on {order.Chain}: {quoted.Problem} Nothing was sent.");
        }

        if (risk.CheckQuote(quote, notional) is { } refused)
        {
            return refused;
        }

        if (await CheckFundsAsync(order, walletAddress, quote, cancellationToken) is { } shortOfFunds)
        {
            return shortOfFunds;
        }

        var mode = await modes.ResolveAsync(order.User, cancellationToken);
        var minimum = quote.ExpectedOut.MinusBasisPoints(order.SlippageBasisPoints);
        return new SwapOutcome.NeedsConfirmation(new SwapPreview(order, quote, minimum, mode.IsLive, notional));
    }

    public async Task<SwapOutcome> ExecuteAsync(SwapPreview preview, string walletAddress, CancellationToken cancellationToken)
    {
        var order = preview.Order;
        if (await intents.FindByIdempotencyKeyAsync(order.User, order.IdempotencyKey, cancellationToken) is { } earlier)
        {
            return new SwapOutcome.AlreadyHandled(earlier);
        }

        // The world may have changed since the card was shown: an emergency stop, the mode, the price.
        var halt = await gates.CheckAsync(TradeGateStage.BeforeRisk, AttemptOf(order, preview.NotionalUsd), cancellationToken);
        if (!halt.Allowed)
        {
            return new SwapOutcome.Rejected(halt.Gate!, halt.Reason!);
        }

        var mode = await modes.ResolveAsync(order.User, cancellationToken);
        if (venues.For(mode.Mode) is not { } venue)
        {
            return new SwapOutcome.Rejected(LiveExecutionGate.GateName, $"No {mode.Mode} swap venue is connected on this deployment; nothing was sent.");
        }

        var quote = preview.Quote;
        if (time.GetUtcNow() - quote.QuotedAt > options.Value.QuoteMaxAge)
        {
            // Never execute on an old quote: price again, and hold the trader to the card's minimum.
            var requoted = await quoter.QuoteAsync(order.Chain, quote.TokenIn, quote.TokenOut, quote.AmountIn, cancellationToken);
            if (requoted.Quote is not { } fresh)
            {
                return new SwapOutcome.Rejected(SwapRejectionCodes.NoRoute, $"The swap could not be re-quoted: {requoted.Problem} Nothing was sent.");
            }

            quote = fresh;
        }

        if (quote.ExpectedOut.Raw < preview.MinimumOut.Raw)
        {
            return new SwapOutcome.Rejected(
                SwapRejectionCodes.PriceMoved,
                $"The price moved: {quote.AmountIn.Format(quote.TokenIn.Symbol)} now buys {quote.ExpectedOut.Format(quote.TokenOut.Symbol)}, below the card's minimum of {preview.MinimumOut.Format(quote.TokenOut.Symbol)}. Nothing was sent; send /swap again for a new quote.");
        }

        if (risk.CheckQuote(quote, preview.NotionalUsd) is { } refused)
        {
            return refused;
        }

        var quota = await gates.CheckAsync(TradeGateStage.BeforeCommit, AttemptOf(order, preview.NotionalUsd), cancellationToken);
        if (!quota.Allowed)
        {
            return new SwapOutcome.Rejected(quota.Gate!, quota.Reason!);
        }

        // The tighter of the card's minimum and the fresh quote's: a better price now is protected too.
        var freshMinimum = quote.ExpectedOut.MinusBasisPoints(order.SlippageBasisPoints);
        var minimum = freshMinimum.Raw > preview.MinimumOut.Raw ? freshMinimum : preview.MinimumOut;
        if (await CheckGasAsync(order, walletAddress, quote, cancellationToken) is { } noGas)
        {
            return noGas;
        }

        var balance = await balances.BalanceOfAsync(order.Chain, walletAddress, quote.TokenIn, cancellationToken);
        var placed = await intents.PlaceAsync(
            new SwapIntent(
                IntentId.New(), order.User, order.IdempotencyKey, IntentState.Pending, mode.Mode, order.Chain, walletAddress, quote.TokenIn, quote.TokenOut,
                quote.AmountIn, quote.ExpectedOut, minimum, quote.Route, null, null, null, time.GetUtcNow()),
            balance,
            cancellationToken);
        switch (placed.Outcome)
        {
            case PlaceSwapOutcome.Duplicate:
                return new SwapOutcome.AlreadyHandled(placed.Intent);
            case PlaceSwapOutcome.InsufficientFunds:
                return ShortOf(quote.TokenIn, placed.Available, quote.AmountIn);
        }

        var intent = placed.Intent;
        if (!await intents.MarkSubmittedAsync(intent.Id, cancellationToken))
        {
            // Another instance's start-up recovery voided it in the meantime; the hold is already released.
            return new SwapOutcome.Rejected("Interrupted", "The swap was cancelled by recovery before it was sent; nothing was sent. Send it again.");
        }

        VenueResult<SwapFill> result;
        try
        {
            result = await venue.ExecuteAsync(new SwapExecution(intent with { State = IntentState.Submitted }, quote), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whether the transaction reached the chain only recovery can tell (it looks it up by hash and nonce).
            logger.LogError(ex, "Swap venue {Mode} failed while executing intent {IntentId}", venue.Mode, intent.Id);
            return new SwapOutcome.Unknown("The chain did not confirm the swap in time; it will be checked and settled or released automatically.");
        }

        if (result.Value is not { } fill)
        {
            var rejection = result.Rejection!;
            await intents.FailAsync(intent.Id, IntentState.Failed, $"{rejection.Code}: {rejection.Message}", cancellationToken);
            return new SwapOutcome.Rejected(rejection.Code, rejection.Message);
        }

        var settled = await intents.CompleteAsync(intent.Id, fill, cancellationToken);
        return new SwapOutcome.Swapped(settled, fill.AmountOut, fill.TransactionHash);
    }

    private (SwapToken In, SwapToken Out)? Resolve(SwapOrder order)
    {
        var chain = catalog.FindChain(order.Chain);
        var tokenIn = chain?.Find(order.FromSymbol);
        var tokenOut = chain?.Find(order.ToSymbol);
        return tokenIn is null || tokenOut is null || tokenIn == tokenOut ? null : (tokenIn, tokenOut);
    }

    private SwapOutcome.Rejected Unresolvable(SwapOrder order)
    {
        if (catalog.FindChain(order.Chain) is not { } chain)
        {
            var known = catalog.Chains.Count == 0 ? "none is configured on this deployment" : "chains: " + string.Join(", ", catalog.Chains.Select(c => c.Name));
            return new(SwapRejectionCodes.UnknownChain, $"'{order.Chain}' is not a swap chain here ({known}).");
        }

        var listed = string.Join(", ", chain.Tokens.Select(t => t.Symbol));
        if (chain.Find(order.FromSymbol) is null)
        {
            return new(SwapRejectionCodes.UnknownToken, $"{order.FromSymbol} is not a token on {chain.Name} (tokens: {listed}).");
        }

        return chain.Find(order.ToSymbol) is null
            ? new(SwapRejectionCodes.UnknownToken, $"{order.ToSymbol} is not a token on {chain.Name} (tokens: {listed}).")
            : new(SwapRejectionCodes.UnknownToken, "Swapping a token for itself does nothing; pick two different tokens.");
    }

    private async Task<SwapOutcome.Rejected?> CheckFundsAsync(SwapOrder order, string walletAddress, SwapQuote quote, CancellationToken cancellationToken)
    {
        var balance = await balances.BalanceOfAsync(order.Chain, walletAddress, quote.TokenIn, cancellationToken);
        var held = await intents.GetHeldAsync(order.Chain, walletAddress, quote.TokenIn, cancellationToken);
        var available = balance with { Raw = balance.Raw - held.Raw };
        if (available.Raw < quote.AmountIn.Raw)
        {
            return ShortOf(quote.TokenIn, available, quote.AmountIn);
        }

        return await CheckGasAsync(order, walletAddress, quote, cancellationToken);
    }

    private async Task<SwapOutcome.Rejected?> CheckGasAsync(SwapOrder order, string walletAddress, SwapQuote quote, CancellationToken cancellationToken)
    {
        var native = await balances.NativeBalanceAsync(order.Chain, walletAddress, cancellationToken);
        return native.Raw < quote.GasCost.Raw
            ? new(
                SwapRejectionCodes.InsufficientGas,
                $"Your wallet holds {native.Format(quote.NativeSymbol)} for gas; this swap needs about {quote.GasCost.Format(quote.NativeSymbol)}. Nothing was sent.")
            : null;
    }

    private static SwapOutcome.Rejected ShortOf(SwapToken token, TokenAmount available, TokenAmount needed) =>
        new(
            SwapRejectionCodes.InsufficientFunds,
            $"Your wallet has {available.Format(token.Symbol)} available (balance less swaps in flight), short of {needed.Format(token.Symbol)}. Nothing was sent.");

    private static TradeAttempt AttemptOf(SwapOrder order, decimal notional) =>
        new(order.User, TradeAction.Swap, null, notional, order.IsCopy, order.IdempotencyKey);
}
