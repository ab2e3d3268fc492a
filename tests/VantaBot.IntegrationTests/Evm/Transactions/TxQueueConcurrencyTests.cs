using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Evm.Transactions;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using Xunit.Abstractions;

namespace VantaBot.IntegrationTests.Evm.Transactions;

/// <summary>Fifty concurrent submissions from one wallet through two bot instances sharing one database.</summary>
public abstract class TxQueueConcurrencyTests(DatabaseProvider provider, ITestOutputHelper output) : IAsyncLifetime
{
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
    public async Task Fifty_concurrent_submissions_from_two_instances_get_contiguous_nonces_and_all_succeed()
    {
        await using var first = TxQueueHarness.Start(_database, _node, output);
        await using var second = TxQueueHarness.Start(_database, _node);
        var wallet = await first.FundedWalletAsync(7001);
        var recipient = EvmAddress.Parse("0x00000000000000000000000000000000000b0b01");

        using var start = new ManualResetEventSlim();
        var submissions = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var instance = i % 2 == 0 ? first : second;
            return await instance.Sender.SubmitAsync(TxQueueHarness.Transfer(wallet, recipient, i + 1, $"transfer {i}"), default);
        })).ToArray();
        start.Set();
        var records = await Task.WhenAll(submissions);

        records.ShouldAllBe(r => r.State == EvmTxState.Pending);
        records.Select(r => (long)r.Nonce).Order().ShouldBe(Enumerable.Range(0, 50).Select(n => (long)n));

        var outcomes = await Task.WhenAll(records.Select(r => first.Sender.WaitAsync(r, TimeSpan.FromSeconds(120), default)));
        outcomes.ShouldAllBe(o => o.Succeeded && o.Receipt != null && o.Receipt.Succeeded);
        outcomes.Select(o => o.Receipt!.TransactionHash).Distinct().Count().ShouldBe(50);

        // The chain agrees: fifty transactions from the wallet, the recipient got 1 + 2 + … + 50 wei.
        (await first.Client.GetTransactionCountAsync(EvmAddress.Parse(wallet.Address), BlockTag.Latest, default)).ShouldBe(new BigInteger(50));
        (await first.Client.GetBalanceAsync(recipient, BlockTag.Latest, default)).ShouldBe(new BigInteger(50 * 51 / 2));
    }
}

public sealed class SqliteTxQueueConcurrencyTests(ITestOutputHelper output) : TxQueueConcurrencyTests(DatabaseProvider.Sqlite, output);

public sealed class PostgresTxQueueConcurrencyTests(ITestOutputHelper output) : TxQueueConcurrencyTests(DatabaseProvider.Postgres, output);
