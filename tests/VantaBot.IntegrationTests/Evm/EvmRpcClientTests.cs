using System.Net;
using System.Net.Sockets;
using System.Numerics;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using static VantaBot.IntegrationTests.Evm.EvmTestSupport;

namespace VantaBot.IntegrationTests.Evm;

/// <summary>Every client method against a real anvil with the Uniswap test market deployed (VANTABOT_TEST_ANVIL_BIN).</summary>
public sealed class EvmRpcClientTests(UniswapDeployment deployment) : IClassFixture<UniswapDeployment>
{
    private static readonly EvmHash TransferTopic = EvmHash.Parse("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
    private static readonly EvmAddress Receiver = EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"); // anvil account 1

    private readonly AnvilNode _node = deployment.Node;
    private readonly UniswapAddresses _uni = deployment.Addresses;

    private EvmRpcClient NewClient() => Client(Options(_node.Url));

    [Fact]
    public async Task Chain_id_head_and_blocks_are_read()
    {
        var client = NewClient();

        (await client.GetChainIdAsync(CancellationToken.None)).ShouldBe(AnvilNode.ChainId);
        var head = await client.GetBlockNumberAsync(CancellationToken.None);
        head.ShouldBeGreaterThan(BigInteger.Zero); // the deployment mined blocks
        var latest = (await client.GetBlockAsync(BlockTag.Latest, CancellationToken.None)).ShouldNotBeNull();
        latest.Number.ShouldBeGreaterThanOrEqualTo(head);
        latest.BaseFeePerGas.ShouldNotBeNull().ShouldBeGreaterThan(BigInteger.Zero);
        latest.Timestamp.ShouldBeGreaterThan(0);
        var parent = (await client.GetBlockAsync(BlockTag.Number(latest.Number - 1), CancellationToken.None)).ShouldNotBeNull();
        parent.Hash.ShouldBe(latest.ParentHash);
        (await client.GetBlockAsync(BlockTag.Number(latest.Number + 1000), CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Balance_nonce_fee_suggestion_and_gas_estimate_are_read()
    {
        var client = NewClient();

        (await client.GetBalanceAsync(_uni.Deployer, BlockTag.Latest, CancellationToken.None)).ShouldBeGreaterThan(BigInteger.Zero);
        var latest = await client.GetTransactionCountAsync(_uni.Deployer, BlockTag.Latest, CancellationToken.None);
        latest.ShouldBeGreaterThan(BigInteger.Zero); // it deployed contracts
        (await client.GetTransactionCountAsync(_uni.Deployer, BlockTag.Pending, CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(latest);
        (await client.GetMaxPriorityFeePerGasAsync(CancellationToken.None)).ShouldBeGreaterThan(BigInteger.Zero);
        var transfer = Call("0xa9059cbb", Word(Receiver), Word(1000));
        var gas = await client.EstimateGasAsync(new EvmCallRequest(_uni.TokenA, transfer) { From = _uni.Deployer }, CancellationToken.None);
        gas.ShouldBeGreaterThan(new BigInteger(21_000));
    }

    [Fact]
    public async Task The_deployed_V2_pools_quote_through_eth_call()
    {
        var client = NewClient();
        var amountIn = BigInteger.Pow(10, 18);

        // getAmountsOut(uint256 amountIn, address[] path): head = amountIn, offset 0x40; tail = length 2, TokenA, TokenB.
        var data = Call("0xd06ca61f", Word(amountIn), Word(0x40), Word(2), Word(_uni.TokenA), Word(_uni.TokenB));
        var result = await client.CallAsync(new EvmCallRequest(_uni.V2Router, data), BlockTag.Latest, CancellationToken.None);

        // uint256[]: offset, length 2, amounts[0] = in, amounts[1] = out; equal reserves, 0.3% fee: just under 0.997.
        ReadWord(result, 1).ShouldBe(new BigInteger(2));
        ReadWord(result, 2).ShouldBe(amountIn);
        var amountOut = ReadWord(result, 3);
        amountOut.ShouldBeGreaterThan(BigInteger.Zero);
        amountOut.ShouldBeLessThan(amountIn * 997 / 1000);

        // WETH → TokenA at 1 ETH = 1000 TokenA.
        var wethData = Call("0xd06ca61f", Word(amountIn / 100), Word(0x40), Word(2), Word(_uni.Weth), Word(_uni.TokenA));
        var wethOut = ReadWord(await client.CallAsync(new EvmCallRequest(_uni.V2Router, wethData), BlockTag.Latest, CancellationToken.None), 3);
        wethOut.ShouldBeGreaterThan(amountIn * 9); // ~9.96 TokenA for 0.01 ETH
    }

    [Fact]
    public async Task The_deployed_V3_pool_quotes_through_QuoterV2()
    {
        var client = NewClient();
        var amountIn = BigInteger.Pow(10, 18);

        // quoteExactInputSingle((tokenIn, tokenOut, amountIn, uint24 fee, uint160 sqrtPriceLimitX96)): a static tuple, inline words.
        var data = Call("0xc6a5026a", Word(_uni.TokenA), Word(_uni.TokenB), Word(amountIn), Word(_uni.V3Fee), Word(0));
        var result = await client.CallAsync(new EvmCallRequest(_uni.V3QuoterV2, data), BlockTag.Latest, CancellationToken.None);

        result.Length.ShouldBe(4 * 32); // amountOut, sqrtPriceX96After, initializedTicksCrossed, gasEstimate
        var amountOut = ReadWord(result, 0);
        amountOut.ShouldBeGreaterThan(BigInteger.Zero);
        amountOut.ShouldBeLessThan(amountIn * 997 / 1000); // price 1, 0.3% fee, a little impact
        ReadWord(result, 3).ShouldBeGreaterThan(BigInteger.Zero);
    }

    [Fact]
    public async Task A_revert_is_the_nodes_verdict_with_its_data_and_no_failover()
    {
        // The second endpoint counts connections: a failover would show up there.
        using var second = new TcpListener(IPAddress.Loopback, 0);
        second.Start();
        var accepted = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var socket = await second.AcceptSocketAsync();
                Interlocked.Increment(ref accepted);
            }
        });
        var client = Client(Options(_node.Url, $"http://127.0.0.1:{((IPEndPoint)second.LocalEndpoint).Port}"));

        // getAmountsOut with a one-token path: UniswapV2Library: INVALID_PATH.
        var data = Call("0xd06ca61f", Word(1000), Word(0x40), Word(1), Word(_uni.TokenA));
        var error = await Should.ThrowAsync<EvmRpcException>(() => client.CallAsync(new EvmCallRequest(_uni.V2Router, data), BlockTag.Latest, CancellationToken.None));

        error.IsRevert.ShouldBeTrue();
        error.Chain.ShouldBe("anvil");
        error.Method.ShouldBe("eth_call");
        var revert = error.RevertData.ShouldNotBeNull();
        Hex.FromBytes(revert.AsSpan(0, 4)).ShouldBe("0x08c379a0"); // Error(string)
        System.Text.Encoding.UTF8.GetString(revert).ShouldContain("UniswapV2Library: INVALID_PATH");
        await Task.Delay(200);
        Volatile.Read(ref accepted).ShouldBe(0);
    }

    [Fact]
    public async Task A_sent_transaction_has_a_receipt_logs_and_counted_confirmations_and_a_rebroadcast_is_idempotent()
    {
        var client = NewClient();
        var nonce = await client.GetTransactionCountAsync(_uni.Deployer, BlockTag.Pending, CancellationToken.None);
        var raw = await _node.SignTransactionAsync(_uni.Deployer.ToString(), _uni.TokenA.ToString(), 0, nonce, Call("0xa9059cbb", Word(Receiver), Word(1234)));

        var hash = await client.SendRawTransactionAsync(raw, CancellationToken.None);
        hash.ShouldBe(EvmHash.FromBytes(Keccak256.Hash(raw)));
        (await client.SendRawTransactionAsync(raw, CancellationToken.None)).ShouldBe(hash); // already mined: same hash, no error

        var receipt = (await client.GetTransactionReceiptAsync(hash, CancellationToken.None)).ShouldNotBeNull();
        receipt.Succeeded.ShouldBeTrue();
        receipt.TransactionHash.ShouldBe(hash);
        receipt.GasUsed.ShouldBeGreaterThan(new BigInteger(21_000));
        receipt.EffectiveGasPrice.ShouldBeGreaterThan(BigInteger.Zero);
        var log = receipt.Logs.ShouldHaveSingleItem();
        log.Address.ShouldBe(_uni.TokenA);
        log.Topics[0].ShouldBe(TransferTopic);
        log.Topics[2].ShouldBe(EvmHash.FromBytes(Word(Receiver)));
        ReadWord(log.Data, 0).ShouldBe(new BigInteger(1234));
        log.Removed.ShouldBeFalse();

        var head = await client.GetBlockNumberAsync(CancellationToken.None);
        receipt.ConfirmationsAt(head).ShouldBe(BigInteger.One);
        await _node.MineAsync(3);
        var newHead = await client.GetBlockNumberAsync(CancellationToken.None);
        newHead.ShouldBe(head + 3);
        EvmConfirmations.Count(receipt, newHead).ShouldBe(new BigInteger(4));
        EvmConfirmations.Count(receipt, receipt.BlockNumber - 1).ShouldBe(BigInteger.Zero);

        var tx = (await client.GetTransactionByHashAsync(hash, CancellationToken.None)).ShouldNotBeNull();
        tx.IsPending.ShouldBeFalse();
        tx.From.ShouldBe(_uni.Deployer);
        tx.To.ShouldBe(_uni.TokenA);
        tx.Nonce.ShouldBe(nonce);
        tx.Type.ShouldBe(2);
        tx.BlockHash.ShouldBe(receipt.BlockHash);

        var logs = await client.GetLogsAsync(
            new EvmLogFilter(BlockTag.Number(receipt.BlockNumber), BlockTag.Latest)
            {
                Addresses = [_uni.TokenA],
                Topics = [[TransferTopic], null, [EvmHash.FromBytes(Word(Receiver))]],
            },
            CancellationToken.None);
        logs.ShouldHaveSingleItem().TransactionHash.ShouldBe(hash);
        var byBlockHash = await client.GetLogsAsync(new EvmLogFilter(BlockTag.Latest, BlockTag.Latest) { BlockHash = receipt.BlockHash }, CancellationToken.None);
        byBlockHash.ShouldContain(l => l.TransactionHash == hash);

        (await client.GetTransactionReceiptAsync(EvmHash.FromBytes(new byte[32]), CancellationToken.None)).ShouldBeNull();
        (await client.GetTransactionByHashAsync(EvmHash.FromBytes(new byte[32]), CancellationToken.None)).ShouldBeNull();
    }
}
