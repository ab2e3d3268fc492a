using System.Numerics;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Copy;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;

namespace VantaBot.UnitTests.Copy;

/// <summary>Reading a leader's swap from a receipt's Transfer logs: what counts as one swap, and what is refused.</summary>
public sealed class LeaderSwapReaderTests
{
    private static readonly EvmAddress Leader = Address(0x1);
    private static readonly EvmAddress Router = Address(0x2);
    private static readonly EvmAddress Pool = Address(0x3);
    private static readonly EvmAddress Usdc = Address(0xA);
    private static readonly EvmAddress Weth = Address(0xB);
    private static readonly EvmAddress Dai = Address(0xC);
    private static readonly HashSet<EvmAddress> Routers = [Router];

    [Fact]
    public void A_swap_through_a_router_reads_the_token_that_left_and_the_token_that_arrived()
    {
        var receipt = Receipt(Leader, Router, Transfer(Usdc, Leader, Pool, 1_500_000), Transfer(Weth, Pool, Leader, 500_000_000_000_000_000));

        LeaderSwapReader.TryRead(receipt, Leader, Routers, out var flows, out _).ShouldBeTrue();

        flows.ShouldBe(new LeaderSwapFlows(Leader, Usdc, 1_500_000, Weth, 500_000_000_000_000_000));
    }

    [Fact]
    public void Several_transfers_of_one_token_are_netted_so_a_partial_refund_lowers_the_input()
    {
        var receipt = Receipt(
            Leader,
            Router,
            Transfer(Usdc, Leader, Router, 1_000),
            Transfer(Usdc, Router, Leader, 100),
            Transfer(Weth, Pool, Router, 7),
            Transfer(Weth, Router, Leader, 7));

        LeaderSwapReader.TryRead(receipt, Leader, Routers, out var flows, out _).ShouldBeTrue();

        flows!.AmountIn.ShouldBe(new BigInteger(900));
        flows.AmountOut.ShouldBe(new BigInteger(7));
    }

    [Fact]
    public void A_reverted_transaction_one_sent_by_someone_else_or_to_another_contract_is_not_a_leader_swap()
    {
        var logs = new[] { Transfer(Usdc, Leader, Pool, 10), Transfer(Weth, Pool, Leader, 1) };

        LeaderSwapReader.TryRead(Receipt(Leader, Router, logs) with { Status = 0 }, Leader, Routers, out _, out var reverted).ShouldBeFalse();
        LeaderSwapReader.TryRead(Receipt(Address(0x9), Router, logs), Leader, Routers, out _, out var foreign).ShouldBeFalse();
        LeaderSwapReader.TryRead(Receipt(Leader, Pool, logs), Leader, Routers, out _, out var notRouter).ShouldBeFalse();

        reverted.ShouldContain("reverted");
        foreign.ShouldContain("not by the leader");
        notRouter.ShouldContain("not to a configured router");
    }

    [Fact]
    public void A_transaction_without_exactly_one_token_out_and_one_in_is_not_a_mirrorable_swap()
    {
        // Native coin in (no token left the wallet), native coin out (none arrived), two tokens out (adding liquidity).
        var nativeIn = Receipt(Leader, Router, Transfer(Weth, Router, Pool, 5), Transfer(Usdc, Pool, Leader, 10));
        var nativeOut = Receipt(Leader, Router, Transfer(Usdc, Leader, Pool, 10), Transfer(Weth, Pool, Router, 5));
        var twoOut = Receipt(Leader, Router, Transfer(Usdc, Leader, Pool, 10), Transfer(Dai, Leader, Pool, 10), Transfer(Weth, Pool, Leader, 1));

        foreach (var receipt in new[] { nativeIn, nativeOut, twoOut })
        {
            LeaderSwapReader.TryRead(receipt, Leader, Routers, out var flows, out var reason).ShouldBeFalse();
            flows.ShouldBeNull();
            reason.ShouldContain("needs one of each");
        }
    }

    [Fact]
    public void Removed_logs_and_logs_that_are_not_erc20_transfers_are_ignored()
    {
        var removed = Transfer(Dai, Leader, Pool, 99) with { Removed = true };
        var erc721 = Transfer(Dai, Leader, Pool, 0) with { Topics = [LeaderSwapReader.Transfer, LeaderSwapReader.Topic(Leader), LeaderSwapReader.Topic(Pool), LeaderSwapReader.Topic(Address(0x77))], Data = [] };
        var receipt = Receipt(Leader, Router, removed, erc721, Transfer(Usdc, Leader, Pool, 10), Transfer(Weth, Pool, Leader, 1));

        LeaderSwapReader.TryRead(receipt, Leader, Routers, out var flows, out _).ShouldBeTrue();

        flows.ShouldBe(new LeaderSwapFlows(Leader, Usdc, 10, Weth, 1));
    }

    [Fact]
    public void The_watchers_depth_is_the_chains_confirmations_else_one_on_dev_chains_and_twelve_elsewhere()
    {
        CopyWatchOptions.Confirmations(new ChainOptions { ChainId = 8453, Confirmations = 3 }).ShouldBe(3);
        CopyWatchOptions.Confirmations(new ChainOptions { ChainId = 8453 }).ShouldBe(12);
        CopyWatchOptions.Confirmations(new ChainOptions { ChainId = 31337 }).ShouldBe(1);
    }

    [Fact]
    public void Watch_settings_out_of_range_are_refused_naming_the_setting()
    {
        var validator = new CopyWatchOptionsValidator();
        validator.Validate(null, new CopyWatchOptions()).Succeeded.ShouldBeTrue();

        var result = validator.Validate(null, new CopyWatchOptions { WatchInterval = TimeSpan.Zero, WatchBatchBlocks = 0, WatchMaxReorgDepth = 0 });

        result.Failed.ShouldBeTrue();
        result.Failures!.ShouldContain(f => f.StartsWith("Copy__WatchInterval:", StringComparison.Ordinal));
        result.Failures!.ShouldContain(f => f.StartsWith("Copy__WatchBatchBlocks:", StringComparison.Ordinal));
        result.Failures!.ShouldContain(f => f.StartsWith("Copy__WatchMaxReorgDepth:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_source_key_is_the_chain_and_hash_in_lower_case()
    {
        var hash = EvmHash.Parse("0x" + new string('A', 64));

        EvmLeaderWatcher.SourceKey("Base", hash).ShouldBe("evm:base:0x" + new string('a', 64));
    }

    private static EvmAddress Address(int last)
    {
        var bytes = new byte[20];
        bytes[19] = (byte)last;
        return EvmAddress.FromBytes(bytes);
    }

    private static EvmLog Transfer(EvmAddress token, EvmAddress from, EvmAddress to, BigInteger value)
    {
        var data = new byte[32];
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(data, 32 - raw.Length);
        return new EvmLog(token, [LeaderSwapReader.Transfer, LeaderSwapReader.Topic(from), LeaderSwapReader.Topic(to)], data, 0, false, 1, null, null);
    }

    private static EvmReceipt Receipt(EvmAddress from, EvmAddress to, params EvmLog[] logs) =>
        new(EvmHash.Parse("0x" + new string('1', 64)), 1, 1, EvmHash.Parse("0x" + new string('2', 64)), 21_000, 1, from, to, null, logs);
}
