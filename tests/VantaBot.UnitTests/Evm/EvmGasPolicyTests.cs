using System.Numerics;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Evm.Transactions;

namespace VantaBot.UnitTests.Evm;

public sealed class EvmGasPolicyTests
{
    private static readonly BigInteger Gwei = 1_000_000_000;

    [Fact]
    public void First_attempt_pays_twice_the_base_fee_plus_the_tip()
    {
        var policy = Policy(capGwei: 50);
        policy.Initial(10 * Gwei, 2 * Gwei).ShouldBe(new EvmFees(22 * Gwei, 2 * Gwei));
    }

    [Fact]
    public void First_attempt_never_exceeds_the_cap_and_its_tip_never_exceeds_its_max_fee()
    {
        var policy = Policy(capGwei: 50);
        policy.Initial(40 * Gwei, 2 * Gwei).ShouldBe(new EvmFees(50 * Gwei, 2 * Gwei));
        policy.Initial(40 * Gwei, 80 * Gwei).ShouldBe(new EvmFees(50 * Gwei, 50 * Gwei));
    }

    [Fact]
    public void Without_a_suggested_tip_the_chain_default_is_used()
    {
        var policy = Policy(capGwei: 50, tipGwei: 1.5m);
        policy.Initial(10 * Gwei, null).ShouldBe(new EvmFees(215 * Gwei / 10, 15 * Gwei / 10));
        policy.Initial(null, null).ShouldBe(new EvmFees(15 * Gwei / 10, 15 * Gwei / 10)); // pre-London: the tip is the price
    }

    [Fact]
    public void A_replacement_raises_both_fees_by_twelve_and_a_half_percent()
    {
        var policy = Policy(capGwei: 50);
        var bumped = policy.Bump(new EvmFees(16 * Gwei, 2 * Gwei), baseFee: 1 * Gwei, suggestedTip: 1 * Gwei).ShouldNotBeNull();
        bumped.ShouldBe(new EvmFees(18 * Gwei, 225 * Gwei / 100));
        (bumped.MaxFeePerGas * 100).ShouldBeGreaterThanOrEqualTo(16 * Gwei * 110);
        (bumped.MaxPriorityFeePerGas * 100).ShouldBeGreaterThanOrEqualTo(2 * Gwei * 110);
    }

    [Fact]
    public void A_replacement_follows_the_market_when_it_moved_more_than_the_bump()
    {
        var policy = Policy(capGwei: 100);
        policy.Bump(new EvmFees(10 * Gwei, 1 * Gwei), baseFee: 20 * Gwei, suggestedTip: 3 * Gwei)
            .ShouldBe(new EvmFees(43 * Gwei, 3 * Gwei));
    }

    [Fact]
    public void Replacements_climb_to_the_cap_and_then_stop()
    {
        var policy = Policy(capGwei: 50);
        var fees = policy.Initial(10 * Gwei, 1 * Gwei);
        var steps = new List<EvmFees> { fees };
        while (policy.Bump(fees, 10 * Gwei, 1 * Gwei) is { } next)
        {
            // Each step clears the node's 10 % bar on both fees and stays under the cap.
            (next.MaxFeePerGas * 100).ShouldBeGreaterThanOrEqualTo(fees.MaxFeePerGas * 110);
            (next.MaxPriorityFeePerGas * 100).ShouldBeGreaterThanOrEqualTo(fees.MaxPriorityFeePerGas * 110);
            next.MaxFeePerGas.ShouldBeLessThanOrEqualTo(policy.Cap);
            next.MaxPriorityFeePerGas.ShouldBeLessThanOrEqualTo(next.MaxFeePerGas);
            steps.Add(fees = next);
            steps.Count.ShouldBeLessThan(50);
        }

        // 21 → 23.625 → 26.58 → 29.9 → 33.64 → 37.84 → 42.57 → 47.89 gwei; 53.88 would pass the cap, and the cap
        // (50) is less than 10 % above 47.89, so no replacement the node would take is left.
        steps.Count.ShouldBe(8);
        (fees.MaxFeePerGas * 110).ShouldBeGreaterThan(policy.Cap * 100);
    }

    [Fact]
    public void At_the_cap_no_replacement_is_offered()
    {
        var policy = Policy(capGwei: 50);
        policy.Bump(new EvmFees(50 * Gwei, 2 * Gwei), 10 * Gwei, 1 * Gwei).ShouldBeNull();
    }

    [Fact]
    public void Close_to_the_cap_the_cap_itself_is_used_when_it_still_clears_ten_percent()
    {
        var policy = Policy(capGwei: 50);
        policy.Bump(new EvmFees(45 * Gwei, 2 * Gwei), 10 * Gwei, 1 * Gwei).ShouldBe(new EvmFees(50 * Gwei, 225 * Gwei / 100));
    }

    [Fact]
    public void The_cap_comes_from_the_chain_defaults()
    {
        new EvmGasPolicy(new ChainOptions { ChainId = 1 }).Cap.ShouldBe(50 * Gwei);
        new EvmGasPolicy(new ChainOptions { ChainId = 8453 }).Cap.ShouldBe(10 * Gwei);
        new EvmGasPolicy(new ChainOptions { ChainId = 31337 }).Cap.ShouldBe(100 * Gwei);
        new EvmGasPolicy(new ChainOptions { ChainId = 1, MaxFeeCapGwei = 0.5m }).Cap.ShouldBe(Gwei / 2);
    }

    [Fact]
    public void Refusals_are_classified_by_the_nodes_message()
    {
        EvmBroadcastErrors.Classify(Refusal("insufficient funds for gas * price + value")).ShouldBe(BroadcastRefusal.Permanent);
        EvmBroadcastErrors.Classify(Refusal("intrinsic gas too low")).ShouldBe(BroadcastRefusal.Permanent);
        EvmBroadcastErrors.Classify(Refusal("nonce too low")).ShouldBe(BroadcastRefusal.Nonce);
        EvmBroadcastErrors.Classify(Refusal("replacement transaction underpriced")).ShouldBe(BroadcastRefusal.Nonce);
        EvmBroadcastErrors.Classify(Refusal("something new")).ShouldBe(BroadcastRefusal.Unknown);
    }

    private static EvmRpcException Refusal(string message) => new("anvil", "eth_sendRawTransaction", -32003, message, null);

    private static EvmGasPolicy Policy(decimal capGwei, decimal tipGwei = 1m) =>
        new(new ChainOptions { ChainId = 1, MaxFeeCapGwei = capGwei, PriorityFeeGwei = tipGwei });
}
