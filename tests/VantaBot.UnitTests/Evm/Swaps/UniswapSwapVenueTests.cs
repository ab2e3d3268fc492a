using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Swaps;
using VantaBot.Infrastructure.Evm.Transactions;
using VantaBot.Risk;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;
using VantaBot.UnitTests.Swaps;

namespace VantaBot.UnitTests.Evm.Swaps;

/// <summary>
/// The LIVE venue against a scripted chain and a fake of the transaction-queue port: what it sends, in which order,
/// and what it refuses to send.
/// </summary>
public sealed class UniswapSwapVenueTests
{
    private static readonly EvmAddress WalletAddress = EvmAddress.Parse("0xabc0000000000000000000000000000000000001");
    private static readonly Wallet Wallet = new(WalletId.New(), new UserId(7), ChainFamily.Evm, WalletAddress.ToString(), DateTimeOffset.UnixEpoch);
    private static readonly SwapToken Tka = new("TKA", TestChain.TokenA.ToString(), 18);
    private static readonly SwapToken Tkb = new("TKB", TestChain.TokenB.ToString(), 18);

    private readonly ScriptedRpcClient _rpc = new();
    private readonly ScriptedTransactionSender _sender = new();
    private readonly InMemorySwapIntents _intents = new();
    private readonly ManualClock _clock = new();
    private readonly SwapsInFlight _inFlight = new();
    private BigInteger _allowance;

    public UniswapSwapVenueTests()
    {
        _rpc.OnCall(TestChain.TokenA, UniswapContracts.Allowance, _ => [_allowance]);
        _sender.Logs[UniswapSwapVenue.SwapPurpose] = [UniswapEncodingTests.TransferLog(TestChain.TokenB, TestChain.V2Pair, WalletAddress, 9_900)];
    }

    [Fact]
    public async Task A_V2_swap_approves_exactly_the_input_then_swaps_with_the_minimum_and_a_chain_time_deadline()
    {
        var intent = await PlaceAsync("uniswap-v2");

        var fill = (await Venue().ExecuteAsync(Execution(intent), default)).Value.ShouldNotBeNull();

        _sender.Submitted.Select(t => t.Purpose).ShouldBe([UniswapSwapVenue.ApprovePurpose, UniswapSwapVenue.SwapPurpose]);
        var approve = _sender.Submitted[0];
        approve.To.ShouldBe(TestChain.TokenA);
        UniswapContracts.Approve.DecodeCall(approve.Data).ShouldBe([TestChain.V2Router, new BigInteger(10_000)]);
        approve.Intent.ShouldBe(intent.Id);
        approve.Wallet.ShouldBe(Wallet.Id);

        var swap = _sender.Submitted[1];
        swap.To.ShouldBe(TestChain.V2Router);
        swap.Intent.ShouldBe(intent.Id);
        swap.GasLimit.ShouldBe(_rpc.GasEstimate * 6 / 5);
        var args = UniswapContracts.V2SwapExactTokensForTokens.DecodeCall(swap.Data);
        args[1].ShouldBe(intent.MinimumOut.Raw);
        args[3].ShouldBe(WalletAddress);
        args[4].ShouldBe(new BigInteger(_rpc.BlockTimestamp + 300));

        fill.AmountOut.Raw.ShouldBe(new BigInteger(9_900));
        fill.ClientOrderId.ShouldBe(intent.Id);
        fill.TransactionHash.ShouldBe((await _sender.FindByIntentAsync(intent.Id, default))[1].Hash.Hex);
        fill.GasPaid.Raw.ShouldBe(new BigInteger(2 * 50_000) * 2_000_000_000); // the approval's and the swap's
    }

    [Fact]
    public async Task A_V3_swap_goes_to_the_SwapRouter_with_the_quoted_fee_tier()
    {
        var intent = await PlaceAsync("uniswap-v3/1%");

        (await Venue().ExecuteAsync(Execution(intent), default)).IsSuccess.ShouldBeTrue();

        var swap = _sender.Submitted.Last();
        swap.To.ShouldBe(TestChain.V3Router);
        var fields = (object?[])UniswapContracts.V3ExactInputSingle.DecodeCall(swap.Data)[0]!;
        fields[2].ShouldBe(new BigInteger(10_000));
        fields[6].ShouldBe(intent.MinimumOut.Raw);
        UniswapContracts.Approve.DecodeCall(_sender.Submitted[0].Data)[0].ShouldBe(TestChain.V3Router);
    }

    [Fact]
    public async Task An_allowance_that_covers_the_input_needs_no_approval()
    {
        _allowance = 10_000;
        var intent = await PlaceAsync("uniswap-v2");

        (await Venue().ExecuteAsync(Execution(intent), default)).IsSuccess.ShouldBeTrue();

        _sender.Submitted.Select(t => t.Purpose).ShouldBe([UniswapSwapVenue.SwapPurpose]);
    }

    [Theory]
    [InlineData(EvmTxState.Reverted)]
    [InlineData(EvmTxState.Dropped)]
    public async Task A_failed_approval_aborts_the_swap_before_anything_is_swapped(EvmTxState ended)
    {
        _sender.Ends[UniswapSwapVenue.ApprovePurpose] = ended;
        var intent = await PlaceAsync("uniswap-v2");

        var result = await Venue().ExecuteAsync(Execution(intent), default);

        result.Rejection.ShouldNotBeNull().Code.ShouldBe(UniswapSwapVenue.ApprovalFailedCode);
        result.Rejection.Message.ShouldContain("nothing was swapped");
        _sender.Submitted.Select(t => t.Purpose).ShouldBe([UniswapSwapVenue.ApprovePurpose]);
    }

    [Fact]
    public async Task An_intent_with_a_swap_already_sent_is_waited_on_never_sent_again()
    {
        var intent = await PlaceAsync("uniswap-v2");
        var venue = Venue();
        var first = await venue.ExecuteAsync(Execution(intent), default);

        var again = await venue.ExecuteAsync(Execution(intent), default);

        again.Value.ShouldBe(first.Value);
        _sender.Submitted.Count(t => t.Purpose == UniswapSwapVenue.SwapPurpose).ShouldBe(1);
    }

    [Fact]
    public async Task A_swap_that_would_revert_for_slippage_is_refused_unsent_with_the_router_reason()
    {
        _allowance = 10_000;
        _rpc.EstimateRevert = "UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT";
        var intent = await PlaceAsync("uniswap-v2");

        var result = await Venue().ExecuteAsync(Execution(intent), default);

        result.Rejection.ShouldNotBeNull().Code.ShouldBe(SwapRejectionCodes.Slippage);
        result.Rejection.Message.ShouldContain("INSUFFICIENT_OUTPUT_AMOUNT");
        _sender.Submitted.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_swap_reverted_on_chain_is_a_rejection_with_the_decoded_reason()
    {
        _sender.Ends[UniswapSwapVenue.SwapPurpose] = EvmTxState.Reverted;
        _sender.RevertReasons[UniswapSwapVenue.SwapPurpose] = "Too little received";
        var intent = await PlaceAsync("uniswap-v3/0.3%");

        var result = await Venue().ExecuteAsync(Execution(intent), default);

        result.Rejection.ShouldNotBeNull().Code.ShouldBe(SwapRejectionCodes.Slippage);
        result.Rejection.Message.ShouldContain("Too little received");
    }

    [Fact]
    public async Task A_swap_not_mined_in_time_throws_so_the_intent_stays_submitted_for_recovery()
    {
        var intent = await PlaceAsync("uniswap-v2");
        _sender.TimesOut = true;

        await Should.ThrowAsync<TimeoutException>(() => Venue().ExecuteAsync(Execution(intent), default));

        (await Venue().ResolveAsync(intent, default)).ShouldBeOfType<SwapResolution.InFlight>();
    }

    [Fact]
    public async Task A_route_the_chain_does_not_offer_is_refused_unsent()
    {
        var intent = await PlaceAsync("uniswap-v3/0.3%");

        var result = await Venue(v3: false).ExecuteAsync(Execution(intent), default);

        result.Rejection.ShouldNotBeNull().Code.ShouldBe(SwapRejectionCodes.NoRoute);
        _sender.Submitted.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_intent_recovery_already_ended_sends_nothing()
    {
        var intent = await PlaceAsync("uniswap-v2");
        await _intents.FailAsync(intent.Id, IntentState.Cancelled, "recovered", default);

        var result = await Venue().ExecuteAsync(Execution(intent), default);

        result.Rejection.ShouldNotBeNull().Code.ShouldBe(UniswapSwapVenue.InterruptedCode);
        _sender.Submitted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Recovery_reads_the_fill_from_the_mined_swap()
    {
        var intent = await PlaceAsync("uniswap-v2");
        await Venue().ExecuteAsync(Execution(intent), default);

        var resolved = (await Venue().ResolveAsync(intent, default)).ShouldBeOfType<SwapResolution.Filled>();

        resolved.Fill.AmountOut.Raw.ShouldBe(new BigInteger(9_900));
    }

    [Fact]
    public async Task Recovery_fails_a_reverted_swap_and_one_that_never_sent_a_swap()
    {
        _sender.Ends[UniswapSwapVenue.SwapPurpose] = EvmTxState.Reverted;
        var reverted = await PlaceAsync("uniswap-v2");
        await Venue().ExecuteAsync(Execution(reverted), default);
        (await Venue().ResolveAsync(reverted, default)).ShouldBeOfType<SwapResolution.Failed>().Reason.ShouldContain("reverted");

        // Approved, then the process died before the swap: nothing was swapped (the queue persists before it sends).
        _sender.Ends[UniswapSwapVenue.ApprovePurpose] = EvmTxState.Succeeded;
        var unsent = await PlaceAsync("uniswap-v2", key: "never-sent");
        _rpc.EstimateRevert = "TransferHelper: TRANSFER_FROM_FAILED";
        _rpc.EstimateRevertAt = TestChain.V2Router;
        await Venue().ExecuteAsync(Execution(unsent), default);
        (await _sender.FindByIntentAsync(unsent.Id, default)).Select(t => t.Purpose).ShouldBe([UniswapSwapVenue.ApprovePurpose]);
        (await Venue().ResolveAsync(unsent, default)).ShouldBeOfType<SwapResolution.Failed>().Reason.ShouldContain("nothing was swapped");
    }

    [Fact]
    public async Task Recovery_leaves_an_intent_this_process_is_still_executing()
    {
        var intent = await PlaceAsync("uniswap-v2");

        using (_inFlight.Begin(intent.Id))
        {
            (await Venue().ResolveAsync(intent, default)).ShouldBeOfType<SwapResolution.InFlight>();
        }

        (await Venue().ResolveAsync(intent, default)).ShouldBeOfType<SwapResolution.Failed>();
    }

    [Fact]
    public async Task Swaps_from_one_wallet_through_one_router_take_turns_so_each_exact_approval_is_its_own()
    {
        // The allowance moves as the fake chain "mines": an approval sets it, a swap spends it.
        _sender.OnEnded = request =>
        {
            if (request.Purpose == UniswapSwapVenue.ApprovePurpose)
            {
                _allowance = (BigInteger)UniswapContracts.Approve.DecodeCall(request.Data)[1]!;
            }
            else
            {
                _allowance -= 10_000;
            }
        };
        var venue = Venue();
        var first = await PlaceAsync("uniswap-v2", key: "a");
        var second = await PlaceAsync("uniswap-v2", key: "b");

        var results = await Task.WhenAll(venue.ExecuteAsync(Execution(first), default), venue.ExecuteAsync(Execution(second), default));

        results.ShouldAllBe(r => r.IsSuccess);
        _sender.Submitted.Select(t => t.Purpose).ShouldBe(
            [UniswapSwapVenue.ApprovePurpose, UniswapSwapVenue.SwapPurpose, UniswapSwapVenue.ApprovePurpose, UniswapSwapVenue.SwapPurpose]);
        _allowance.IsZero.ShouldBeTrue();
    }

    private UniswapSwapVenue Venue(bool v3 = true) =>
        new(
            _sender,
            new SingleChainClients(_rpc),
            Options.Create(TestChain.Options(v3: v3)),
            new OneWalletDirectory(Wallet),
            _intents,
            new SwapSpenderLocks(),
            _inFlight,
            NullLogger<UniswapSwapVenue>.Instance);

    private async Task<SwapIntent> PlaceAsync(string route, string key = "k1")
    {
        var intent = new SwapIntent(
            IntentId.New(), Wallet.UserId, key, IntentState.Pending, ExecutionMode.Live, "anvil", WalletAddress.ToString(), Tka, Tkb,
            new TokenAmount(10_000, 18), new TokenAmount(9_970, 18), new TokenAmount(9_800, 18), route, null, null, null, _clock.GetUtcNow());
        (await _intents.PlaceAsync(intent, new TokenAmount(1_000_000, 18), default)).Outcome.ShouldBe(PlaceSwapOutcome.Placed);
        (await _intents.MarkSubmittedAsync(intent.Id, default)).ShouldBeTrue();
        return intent with { State = IntentState.Submitted };
    }

    private SwapExecution Execution(SwapIntent intent) =>
        new(intent, new SwapQuote("anvil", intent.Route, Tka, Tkb, intent.AmountIn, intent.ExpectedOut, 0m, 200_000, new TokenAmount(1, 18), "ETH", _clock.GetUtcNow()));
}
