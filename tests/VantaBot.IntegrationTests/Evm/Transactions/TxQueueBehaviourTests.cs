using System.Numerics;
using System.Text;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Evm.Transactions;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.EvmTransactions;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Wallets;
using Xunit.Abstractions;

namespace VantaBot.IntegrationTests.Evm.Transactions;

/// <summary>The queue against a real anvil (one per test, as automine is switched) and a real database of each provider.</summary>
public abstract class TxQueueBehaviourTests(DatabaseProvider provider, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly EvmAddress Recipient = EvmAddress.Parse("0x00000000000000000000000000000000000b0b02");
    private static readonly BigInteger Gwei = 1_000_000_000;
    private TestDatabase _database = null!;
    private AnvilNode _node = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(provider);
        await _database.MigrateAsync();
        _node = await AnvilNode.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_transaction_dropped_from_the_pool_is_rebroadcast_by_the_monitor_and_mined_once()
    {
        await using var queue = TxQueueHarness.Start(_database, _node, output, new Dictionary<string, string?> { ["ReplaceAfter"] = "00:10:00" });
        var wallet = await queue.FundedWalletAsync(7101);
        await _node.SetAutomineAsync(false);
        var record = await queue.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 777), default);
        (await queue.Client.GetTransactionByHashAsync(record.Hash, default)).ShouldNotBeNull();

        await _node.DropTransactionAsync(record.Hash.Hex);
        (await queue.Client.GetTransactionByHashAsync(record.Hash, default)).ShouldBeNull();

        await queue.Monitor.StartAsync(default);
        try
        {
            await TxQueueHarness.EventuallyAsync(async () => await queue.Client.GetTransactionByHashAsync(record.Hash, default) is not null, "the monitor re-broadcasts the dropped transaction");
            await _node.MineAsync();
            var outcome = await queue.Sender.WaitAsync(record, TimeSpan.FromSeconds(60), default);

            outcome.Succeeded.ShouldBeTrue();
            outcome.Receipt!.TransactionHash.ShouldBe(record.Hash);
            (await queue.Client.GetBalanceAsync(Recipient, BlockTag.Latest, default)).ShouldBe(new BigInteger(777));
            (await queue.Client.GetTransactionCountAsync(EvmAddress.Parse(wallet.Address), BlockTag.Latest, default)).ShouldBe(BigInteger.One);
        }
        finally
        {
            await queue.Monitor.StopAsync(default);
        }
    }

    [Fact]
    public async Task A_stuck_transaction_is_replaced_with_bumps_of_at_least_ten_percent_up_to_the_cap()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var settings = new Dictionary<string, string?> { ["ReplaceAfter"] = "00:00:30", ["MaxFeeCapGwei"] = "5" };
        await using var queue = TxQueueHarness.Start(_database, _node, output, settings, clock);
        var wallet = await queue.FundedWalletAsync(7102);
        await _node.SetAutomineAsync(false);
        var record = await queue.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 1), default);

        // Not yet due: the sweep leaves it alone.
        await queue.Monitor.SweepAsync(TxQueueHarness.Chain, default);
        (await queue.StoredAsync(record.Id)).Attempts.Count.ShouldBe(1);

        // Each time the latest attempt has waited ReplaceAfter, a sweep replaces it, until the cap leaves no room.
        var counts = new List<int>();
        for (var round = 0; round < 12; round++)
        {
            clock.Advance(TimeSpan.FromSeconds(31));
            await queue.Monitor.SweepAsync(TxQueueHarness.Chain, default);
            counts.Add((await queue.StoredAsync(record.Id)).Attempts.Count);
        }

        var stored = await queue.StoredAsync(record.Id);
        var fees = stored.Attempts.Select(a => a.Fees).ToList();
        output.WriteLine(string.Join(" → ", fees.Select(f => $"{f.MaxFeePerGas}/{f.MaxPriorityFeePerGas}")));
        fees.Count.ShouldBeGreaterThan(2);
        counts[^1].ShouldBe(counts[^2]); // it stopped replacing
        for (var i = 1; i < fees.Count; i++)
        {
            (fees[i].MaxFeePerGas * 100).ShouldBeGreaterThanOrEqualTo(fees[i - 1].MaxFeePerGas * 110);
            (fees[i].MaxPriorityFeePerGas * 100).ShouldBeGreaterThanOrEqualTo(fees[i - 1].MaxPriorityFeePerGas * 110);
        }

        fees.ShouldAllBe(f => f.MaxFeePerGas <= 5 * Gwei);
        (fees[^1].MaxFeePerGas * 110).ShouldBeGreaterThan(5 * Gwei * 100); // no room left for another 10 % under the cap

        // Every attempt is the same nonce; the node holds only the latest, which is what gets mined.
        stored.Attempts.Select(a => SignedTransaction.Decode(a.Raw).Transaction.Nonce).Distinct().ShouldHaveSingleItem();
        (await queue.Client.GetTransactionByHashAsync(stored.Latest.Hash, default)).ShouldNotBeNull();
        await _node.MineAsync();
        var outcome = await queue.Sender.WaitAsync(record, TimeSpan.FromSeconds(60), default);
        outcome.Succeeded.ShouldBeTrue();
        outcome.Transaction.MinedHash.ShouldBe(stored.Latest.Hash);
        (await queue.Client.GetTransactionCountAsync(EvmAddress.Parse(wallet.Address), BlockTag.Latest, default)).ShouldBe(BigInteger.One);
    }

    [Fact]
    public async Task A_nonce_taken_outside_the_queue_is_resynced_and_the_next_submission_succeeds()
    {
        await using var queue = TxQueueHarness.Start(_database, _node, output);
        var wallet = await queue.FundedWalletAsync(7103);
        var first = await queue.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 1), default);
        (await queue.Sender.WaitAsync(first, TimeSpan.FromSeconds(60), default)).Succeeded.ShouldBeTrue();

        // Another tool spends nonce 1 from the same key; the queue still believes 1 is next.
        var outside = await queue.SignOutsideQueueAsync(wallet, new Eip1559Transaction(AnvilNode.ChainId, 1, Gwei, 10 * Gwei, 21_000, Recipient, 10, []));
        var outsideHash = await queue.Client.SendRawTransactionAsync(outside.Raw, default);
        await TxQueueHarness.EventuallyAsync(async () => await queue.Client.GetTransactionReceiptAsync(outsideHash, default) is not null, "anvil mines the outside transaction");

        var next = await queue.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 100), default);
        next.State.ShouldBe(EvmTxState.Pending);
        next.Nonce.ShouldBe(new BigInteger(2));
        (await queue.Sender.WaitAsync(next, TimeSpan.FromSeconds(60), default)).Succeeded.ShouldBeTrue();
        (await queue.Client.GetBalanceAsync(Recipient, BlockTag.Latest, default)).ShouldBe(new BigInteger(111));
    }

    [Fact]
    public async Task A_mined_transaction_whose_receipt_is_not_readable_yet_is_not_dropped()
    {
        LaggingReceipts? lag = null;
        await using var queue = TxQueueHarness.Start(_database, _node, output, wrapClients: clients => lag = new LaggingReceipts(clients));
        var wallet = await queue.FundedWalletAsync(7108);
        var record = await queue.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 31), default);
        await TxQueueHarness.EventuallyAsync(
            async () => await queue.Client.GetTransactionCountAsync(record.From, BlockTag.Latest, default) > record.Nonce, "anvil mines the transaction");

        // The node counts the nonce as spent but no receipt can be read yet: the transaction is ours and mined, not
        // dropped. Neither recovery's look nor the monitor's sweep may settle it Dropped (a swap would then be
        // reported failed while its tokens were in fact swapped).
        lag!.Lagging = true;
        (await queue.Sender.ResolveAsync(record, default)).ShouldBeNull();
        await queue.Monitor.SweepAsync(TxQueueHarness.Chain, default);
        (await queue.StoredAsync(record.Id)).Record.State.ShouldBe(EvmTxState.Pending);

        // Once the receipt can be read it settles as what it is.
        lag.Lagging = false;
        var outcome = await queue.Sender.WaitAsync(record, TimeSpan.FromSeconds(60), default);
        outcome.Transaction.State.ShouldBe(EvmTxState.Succeeded);
        outcome.Transaction.MinedHash.ShouldBe(record.Hash);
        (await queue.Client.GetBalanceAsync(Recipient, BlockTag.Latest, default)).ShouldBe(new BigInteger(31));
    }

    [Fact]
    public async Task A_nonce_spent_by_another_transaction_drops_ours_only_once_that_spend_is_as_deep_as_the_confirmations()
    {
        var deep = new Dictionary<string, string?> { ["Confirmations"] = "2", ["ReplaceAfter"] = "00:00:00.1" };
        Wallet wallet;
        StoredEvmTransaction stored;
        await using (var crashed = TxQueueHarness.Start(_database, _node, output, deep, broadcaster: new CrashingBroadcaster()))
        {
            // Committed with its signed bytes, then the process died before the broadcast: no node knows it.
            wallet = await crashed.FundedWalletAsync(7109);
            var intent = new IntentId(Guid.NewGuid());
            await Should.ThrowAsync<CrashException>(() => crashed.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 5, "swap") with { Intent = intent }, default));
            stored = await crashed.StoredAsync((await crashed.Sender.FindByIntentAsync(intent, default)).ShouldHaveSingleItem().Id);
        }

        await using var queue = TxQueueHarness.Start(_database, _node, output, deep);
        var outside = await queue.SignOutsideQueueAsync(wallet, new Eip1559Transaction(AnvilNode.ChainId, 0, Gwei, 10 * Gwei, 21_000, Recipient, 9, []));
        var outsideHash = await queue.Client.SendRawTransactionAsync(outside.Raw, default);
        await TxQueueHarness.EventuallyAsync(async () => await queue.Client.GetTransactionReceiptAsync(outsideHash, default) is not null, "anvil mines the outside transaction");

        // Spent one block deep of the two required: a reorganisation could still mine ours instead. Neither recovery nor
        // the monitor (whose replacement is due after 0.1 s) may drop it, which would give its held money back.
        (await queue.Sender.ResolveAsync(stored.Record, default)).ShouldBeNull();
        await queue.Monitor.SweepAsync(TxQueueHarness.Chain, default);
        (await queue.StoredAsync(stored.Record.Id)).Record.State.ShouldBe(EvmTxState.Pending);

        await _node.MineAsync();
        var outcome = (await queue.Sender.ResolveAsync(stored.Record, default)).ShouldNotBeNull();
        outcome.Transaction.State.ShouldBe(EvmTxState.Dropped);
        outcome.Transaction.Detail!.ShouldContain("none of its 1 attempt(s)");
        (await queue.Client.GetBalanceAsync(Recipient, BlockTag.Latest, default)).ShouldBe(new BigInteger(9));
    }

    [Fact]
    public async Task A_transaction_persisted_before_a_crash_is_broadcast_by_recovery_and_mined_exactly_once()
    {
        var intent = new IntentId(Guid.NewGuid());
        var crashing = new CrashingBroadcaster();
        await using (var crashed = TxQueueHarness.Start(_database, _node, output, broadcaster: crashing))
        {
            var wallet = await crashed.FundedWalletAsync(7104);
            var request = TxQueueHarness.Transfer(wallet, Recipient, 4242, "swap") with { Intent = intent };
            await Should.ThrowAsync<CrashException>(() => crashed.Sender.SubmitAsync(request, default));
            crashing.Calls.ShouldBe(1);
        }

        // After the restart, recovery finds the transaction by its intent: committed with its signed bytes, never sent.
        await using var restarted = TxQueueHarness.Start(_database, _node, output);
        var found = (await restarted.Sender.FindByIntentAsync(intent, default)).ShouldHaveSingleItem();
        found.State.ShouldBe(EvmTxState.Pending);
        found.Intent.ShouldBe(intent);
        var stored = await restarted.StoredAsync(found.Id);
        stored.Attempts.ShouldHaveSingleItem();
        SignedTransaction.Decode(stored.Latest.Raw).Transaction.Value.ShouldBe(new BigInteger(4242));
        (await restarted.Client.GetTransactionByHashAsync(stored.Latest.Hash, default)).ShouldBeNull();

        // Recovery re-broadcasts (still pending: null); asking again once it is mined gives the outcome.
        (await restarted.Sender.ResolveAsync(stored.Record, default)).ShouldBeNull();
        var outcome = await restarted.Sender.WaitAsync(stored.Record, TimeSpan.FromSeconds(60), default);
        outcome.Succeeded.ShouldBeTrue();
        (await restarted.Sender.ResolveAsync(stored.Record, default))!.Succeeded.ShouldBeTrue();
        await restarted.Monitor.SweepAsync(TxQueueHarness.Chain, default);

        (await restarted.Client.GetBalanceAsync(Recipient, BlockTag.Latest, default)).ShouldBe(new BigInteger(4242));
        (await restarted.Client.GetTransactionCountAsync(stored.Record.From, BlockTag.Latest, default)).ShouldBe(BigInteger.One);
    }

    [Fact]
    public async Task A_reverting_call_settles_reverted_with_its_decoded_reason()
    {
        await using var queue = TxQueueHarness.Start(_database, _node, output);
        var wallet = await queue.FundedWalletAsync(7105);
        var contract = EvmAddress.Parse("0x000000000000000000000000000000000000c0de");
        await _node.RpcAsync("anvil_setCode", contract.ToString(), Hex.FromBytes(RevertingCode("nope")));

        var request = TxQueueHarness.Transfer(wallet, contract, 0, "swap") with { Data = [0x12, 0x34, 0x56, 0x78], GasLimit = 100_000 };
        var record = await queue.Sender.SubmitAsync(request, default);
        var outcome = await queue.Sender.WaitAsync(record, TimeSpan.FromSeconds(60), default);

        outcome.Transaction.State.ShouldBe(EvmTxState.Reverted);
        outcome.Receipt!.Succeeded.ShouldBeFalse();
        outcome.RevertReason.ShouldBe("nope");
        (await queue.StoredAsync(record.Id)).Record.Detail.ShouldBe("nope");
    }

    [Fact]
    public async Task A_transaction_the_node_refuses_for_good_is_dropped_and_its_nonce_given_back()
    {
        await using var queue = TxQueueHarness.Start(_database, _node, output);
        var wallet = await queue.FundedWalletAsync(7106, ether: 0);
        using var metrics = queue.RecordMetrics();

        var refused = await queue.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 5), default);
        refused.State.ShouldBe(EvmTxState.Dropped);
        refused.Detail!.ShouldContain("insufficient funds", Case.Insensitive);

        await _node.RpcAsync("anvil_setBalance", wallet.Address, Hex.FromQuantity(BigInteger.Pow(10, 18)));
        var funded = await queue.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 5), default);
        funded.Nonce.ShouldBe(refused.Nonce);
        (await queue.Sender.WaitAsync(funded, TimeSpan.FromSeconds(60), default)).Succeeded.ShouldBeTrue();

        metrics.Sum("vantabot.evm.tx.submitted", ("chain", TxQueueHarness.Chain)).ShouldBe(2);
        metrics.Sum("vantabot.evm.tx.refused", ("refusal", "permanent")).ShouldBe(1);
        metrics.Sum("vantabot.evm.tx.settled", ("state", "dropped")).ShouldBe(1);
        metrics.Sum("vantabot.evm.tx.settled", ("state", "succeeded")).ShouldBe(1);
    }

    [Fact]
    public async Task A_nonce_dropped_by_one_instance_behind_another_instances_higher_nonce_is_refilled()
    {
        var held = new HoldingBroadcaster();
        await using var first = TxQueueHarness.Start(_database, _node, output, broadcaster: held);
        await using var second = TxQueueHarness.Start(_database, _node, output);
        var wallet = await first.FundedWalletAsync(7107);

        // The first instance takes nonce 0 for a transaction the node will refuse (below the 21000 intrinsic gas) and
        // is held just before broadcasting it; meanwhile the second instance takes nonce 1, which waits behind 0.
        var refusedTask = first.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 1) with { GasLimit = 20_000 }, default);
        await held.Entered;
        var waiting = await second.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 10), default);
        waiting.Nonce.ShouldBe(BigInteger.One);

        held.Release();
        var refused = await refusedTask;
        refused.State.ShouldBe(EvmTxState.Dropped);
        refused.Nonce.ShouldBe(BigInteger.Zero);
        refused.Detail!.ShouldContain("intrinsic gas", Case.Insensitive);
        (await second.Client.GetTransactionCountAsync(EvmAddress.Parse(wallet.Address), BlockTag.Latest, default)).ShouldBe(BigInteger.Zero);

        // The given-back nonce is the next one handed out, by whichever instance: the gap closes and both are mined.
        var filler = await second.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 100), default);
        filler.Nonce.ShouldBe(BigInteger.Zero);
        (await second.Sender.WaitAsync(filler, TimeSpan.FromSeconds(60), default)).Succeeded.ShouldBeTrue();
        (await second.Sender.WaitAsync(waiting, TimeSpan.FromSeconds(60), default)).Succeeded.ShouldBeTrue();
        var next = await first.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, Recipient, 1000), default);
        next.Nonce.ShouldBe(new BigInteger(2));
        (await first.Sender.WaitAsync(next, TimeSpan.FromSeconds(60), default)).Succeeded.ShouldBeTrue();
        (await first.Client.GetBalanceAsync(Recipient, BlockTag.Latest, default)).ShouldBe(new BigInteger(1110));
    }

    /// <summary>Runtime code that reverts every call with Error(reason) (reason up to 32 bytes).</summary>
    private static byte[] RevertingCode(string reason)
    {
        var selectorWord = new byte[32];
        new byte[] { 0x08, 0xc3, 0x79, 0xa0 }.CopyTo(selectorWord, 0);
        var reasonWord = new byte[32];
        Encoding.ASCII.GetBytes(reason).CopyTo(reasonWord, 0);
        return
        [
            0x7f, .. selectorWord, 0x60, 0x00, 0x52, // mstore(0, selector)
            0x60, 0x20, 0x60, 0x04, 0x52, // mstore(4, 0x20): offset of the string
            0x60, (byte)reason.Length, 0x60, 0x24, 0x52, // mstore(36, length)
            0x7f, .. reasonWord, 0x60, 0x44, 0x52, // mstore(68, reason)
            0x60, 0x64, 0x60, 0x00, 0xfd, // revert(0, 100)
        ];
    }

    private sealed class CrashException : Exception;

    /// <summary>Holds the first broadcast until released (a slow instance), then broadcasts for real.</summary>
    private sealed class HoldingBroadcaster : IEvmTransactionBroadcaster
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly RpcEvmTransactionBroadcaster _inner = new();

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public async Task<EvmHash> BroadcastAsync(IEvmRpcClient client, byte[] rawTransaction, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            return await _inner.BroadcastAsync(client, rawTransaction, cancellationToken);
        }
    }

    /// <summary>Stands for the process dying between the write-ahead commit and the broadcast.</summary>
    private sealed class CrashingBroadcaster : IEvmTransactionBroadcaster
    {
        public int Calls { get; private set; }

        public Task<EvmHash> BroadcastAsync(IEvmRpcClient client, byte[] rawTransaction, CancellationToken cancellationToken)
        {
            Calls++;
            throw new CrashException();
        }
    }
}

public sealed class SqliteTxQueueBehaviourTests(ITestOutputHelper output) : TxQueueBehaviourTests(DatabaseProvider.Sqlite, output);

public sealed class PostgresTxQueueBehaviourTests(ITestOutputHelper output) : TxQueueBehaviourTests(DatabaseProvider.Postgres, output);
