using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using VantaBot.Infrastructure.Evm.Abi;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Prices;
using VantaBot.Trading.Markets;

namespace VantaBot.IntegrationTests.Evm.Prices;

/// <summary>The Chainlink source against a real aggregator contract (tests/peers/evm/TestPriceAggregator.sol) on anvil.</summary>
public sealed class ChainlinkPriceSourceTests : IAsyncLifetime
{
    private static readonly Pair Eth = Pair.Usd("ETH");
    private static readonly AbiFunction UpdateAnswer = AbiFunction.Parse("updateAnswer(int256)");
    private static readonly AbiFunction UpdateRoundData = AbiFunction.Parse("updateRoundData(int256,uint256,bool)");
    private AnvilNode _node = null!;
    private EvmAddress _aggregator;
    private string _deployer = "";

    public async Task InitializeAsync()
    {
        _node = await AnvilNode.StartAsync();
        _deployer = (await _node.AccountsAsync())[0];
        _aggregator = await DeployAggregatorAsync(_node, decimals: 8, initialAnswer: 3_012_34567890);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Reads_the_latest_answer_scaled_by_the_feed_decimals_and_follows_updates()
    {
        var source = Source(TimeProvider.System);

        var quote = await source.GetQuoteAsync(Eth, default);
        quote!.Price.ShouldBe(3012.34567890m);
        quote.Source.ShouldBe("chainlink");
        quote.IsSimulated.ShouldBeFalse();

        await SendAsync(UpdateAnswer.EncodeCall(new BigInteger(2_999_50000000)));
        (await source.GetQuoteAsync(Eth, default))!.Price.ShouldBe(2999.5m);
        (await source.GetQuoteAsync(Pair.Usd("BTC"), default)).ShouldBeNull();
    }

    [Fact]
    public async Task A_round_older_than_the_limit_a_carried_round_and_a_non_positive_answer_are_refused_with_reasons()
    {
        var source = Source(TimeProvider.System);
        var old = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds();
        await SendAsync(UpdateRoundData.EncodeCall(new BigInteger(3_000_00000000), new BigInteger(old), false));
        (await Should.ThrowAsync<PriceSourceException>(() => source.GetQuoteAsync(Eth, default))).Message.ShouldContain("not updating");

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await SendAsync(UpdateRoundData.EncodeCall(new BigInteger(3_000_00000000), new BigInteger(now), true));
        (await Should.ThrowAsync<PriceSourceException>(() => source.GetQuoteAsync(Eth, default))).Message.ShouldContain("carries an answer");

        await SendAsync(UpdateAnswer.EncodeCall(BigInteger.MinusOne));
        (await Should.ThrowAsync<PriceSourceException>(() => source.GetQuoteAsync(Eth, default))).Message.ShouldContain("not a price");
    }

    [Fact]
    public async Task An_unreachable_chain_is_a_transient_source_error_not_a_crash()
    {
        var dead = EvmTestSupport.Client(EvmTestSupport.Options("http://127.0.0.1:1"));
        var source = new ChainlinkPriceSource(dead, new ChainlinkOptions(), new Dictionary<Pair, EvmAddress> { [Eth] = _aggregator }, TimeProvider.System);

        var error = await Should.ThrowAsync<PriceSourceException>(() => source.GetQuoteAsync(Eth, default));
        error.IsTransient.ShouldBeTrue();
    }

    private ChainlinkPriceSource Source(TimeProvider time) => new(
        EvmTestSupport.Client(EvmTestSupport.Options(_node.Url)), new ChainlinkOptions { Chain = "anvil" }, new Dictionary<Pair, EvmAddress> { [Eth] = _aggregator }, time);

    private async Task SendAsync(byte[] data)
    {
        // An explicit gas limit: anvil's own estimate for this call sits exactly at the edge and the mined call runs out.
        var hash = (await _node.RpcAsync(
            "eth_sendTransaction",
            new JsonObject { ["from"] = _deployer, ["to"] = _aggregator.ToString(), ["data"] = Hex.FromBytes(data), ["gas"] = "0x30000" })).GetString();
        var receipt = await _node.ReceiptAsync(hash!);
        receipt.GetProperty("status").GetString().ShouldBe("0x1");
    }

    /// <summary>Compiles and deploys the test aggregator with tests/peers/evm/deploy-aggregator.mjs.</summary>
    public static async Task<EvmAddress> DeployAggregatorAsync(AnvilNode node, int decimals, long initialAnswer)
    {
        var peers = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(AnvilNode.Binary)!, "..", "..", "..", ".."));
        var info = new ProcessStartInfo("node", [Path.Combine(peers, "evm", "deploy-aggregator.mjs"), node.Url, decimals.ToString(System.Globalization.CultureInfo.InvariantCulture), initialAnswer.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy-aggregator.mjs exited with {process.ExitCode}: {await stderr}");
        }

        using var json = JsonDocument.Parse(await stdout);
        return EvmAddress.Parse(json.RootElement.GetProperty("address").GetString()!);
    }
}
