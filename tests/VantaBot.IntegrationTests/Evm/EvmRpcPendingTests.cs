using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using static VantaBot.IntegrationTests.Evm.EvmTestSupport;

namespace VantaBot.IntegrationTests.Evm;

/// <summary>Pending, dropped and reorged transactions: automine off on an anvil of this class's own.</summary>
public sealed class EvmRpcPendingTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>, IAsyncLifetime
{
    private readonly AnvilNode _node = fixture.Node;
    private string _snapshot = "";

    public async Task InitializeAsync() => _snapshot = await _node.SnapshotAsync();

    public async Task DisposeAsync()
    {
        await _node.SetAutomineAsync(true);
        (await _node.RevertAsync(_snapshot)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_pending_transaction_has_no_receipt_until_mined_and_its_rebroadcast_is_idempotent()
    {
        var client = Client(Options(_node.Url));
        var accounts = await _node.AccountsAsync();
        var from = EvmAddress.Parse(accounts[0]);
        await _node.SetAutomineAsync(false);
        var nonce = await client.GetTransactionCountAsync(from, BlockTag.Pending, CancellationToken.None);
        var raw = await _node.SignTransactionAsync(accounts[0], accounts[1], 12345, nonce);

        var hash = await client.SendRawTransactionAsync(raw, CancellationToken.None);
        (await client.SendRawTransactionAsync(raw, CancellationToken.None)).ShouldBe(hash); // "already known" in the pool

        (await client.GetTransactionReceiptAsync(hash, CancellationToken.None)).ShouldBeNull();
        var pending = (await client.GetTransactionByHashAsync(hash, CancellationToken.None)).ShouldNotBeNull();
        pending.IsPending.ShouldBeTrue();
        pending.Value.ShouldBe(new BigInteger(12345));
        (await client.GetTransactionCountAsync(from, BlockTag.Pending, CancellationToken.None)).ShouldBe(nonce + 1);
        (await client.GetTransactionCountAsync(from, BlockTag.Latest, CancellationToken.None)).ShouldBe(nonce);

        await _node.MineAsync();
        var receipt = (await client.GetTransactionReceiptAsync(hash, CancellationToken.None)).ShouldNotBeNull();
        receipt.Succeeded.ShouldBeTrue();
        receipt.ConfirmationsAt(await client.GetBlockNumberAsync(CancellationToken.None)).ShouldBe(BigInteger.One);
    }

    [Fact]
    public async Task A_dropped_transaction_is_unknown_and_can_be_broadcast_again()
    {
        var client = Client(Options(_node.Url));
        var accounts = await _node.AccountsAsync();
        await _node.SetAutomineAsync(false);
        var nonce = await client.GetTransactionCountAsync(EvmAddress.Parse(accounts[0]), BlockTag.Pending, CancellationToken.None);
        var raw = await _node.SignTransactionAsync(accounts[0], accounts[2], 1, nonce);
        var hash = await client.SendRawTransactionAsync(raw, CancellationToken.None);

        await _node.DropTransactionAsync(hash.Hex);
        (await client.GetTransactionByHashAsync(hash, CancellationToken.None)).ShouldBeNull();

        (await client.SendRawTransactionAsync(raw, CancellationToken.None)).ShouldBe(hash);
        await _node.MineAsync();
        (await client.GetTransactionReceiptAsync(hash, CancellationToken.None)).ShouldNotBeNull().Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task A_reorg_replaces_the_block_hash_a_receipt_pointed_at()
    {
        var client = Client(Options(_node.Url));
        var accounts = await _node.AccountsAsync();
        var nonce = await client.GetTransactionCountAsync(EvmAddress.Parse(accounts[0]), BlockTag.Pending, CancellationToken.None);
        var hash = await client.SendRawTransactionAsync(await _node.SignTransactionAsync(accounts[0], accounts[3], 1, nonce), CancellationToken.None);
        await _node.ReceiptAsync(hash.ToString()); // anvil can answer the send before the receipt is stored
        var receipt = (await client.GetTransactionReceiptAsync(hash, CancellationToken.None)).ShouldNotBeNull();
        await _node.MineAsync(2);

        await _node.ReorgAsync(3);

        // A confirmation count alone cannot see this: callers compare the receipt's block hash with the chain's.
        var replaced = (await client.GetBlockAsync(BlockTag.Number(receipt.BlockNumber), CancellationToken.None)).ShouldNotBeNull();
        replaced.Hash.ShouldNotBe(receipt.BlockHash);
    }
}
