using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using VantaBot.Infrastructure.Evm.Abi;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.IntegrationTests.Evm.Prices;

namespace VantaBot.IntegrationTests.Evm.Swaps;

/// <summary>
/// One anvil per test class with the Uniswap V2/V3 market of deploy-uniswap.mjs and a Chainlink-style ETH/USD
/// aggregator (a LIVE deployment refuses simulated prices), plus the settings that point a bot at them.
/// </summary>
public sealed class SwapChainFixture : IAsyncLifetime
{
    private static readonly AbiFunction Transfer = AbiFunction.Parse("transfer(address,uint256) returns (bool)");
    private static readonly AbiFunction BalanceOf = AbiFunction.Parse("balanceOf(address) returns (uint256)");
    private static readonly AbiFunction Allowance = AbiFunction.Parse("allowance(address,address) returns (uint256)");

    public AnvilNode Node { get; private set; } = null!;

    public UniswapAddresses Market { get; private set; } = null!;

    public EvmAddress EthUsdFeed { get; private set; }

    public async Task InitializeAsync()
    {
        Node = await AnvilNode.StartAsync();
        Market = await UniswapDeployment.DeployAsync(Node);
        EthUsdFeed = await ChainlinkPriceSourceTests.DeployAggregatorAsync(Node, 8, 3_000_00000000);
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();

    /// <summary>Bot settings for LIVE swaps on this chain; <paramref name="routers"/> picks V2, V3 or both.</summary>
    public Dictionary<string, string?> Settings(long superAdmin, bool v2 = true, bool v3 = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Access:SuperAdminIds"] = superAdmin.ToString(CultureInfo.InvariantCulture),
            ["Trading:AllowLive"] = "true",
            ["Prices:Sources"] = "chainlink",
            ["Prices:Pairs"] = "ETH",
            ["Prices:Chainlink:Chain"] = "anvil",
            ["Prices:Chainlink:Feeds:ETH"] = EthUsdFeed.ToString(),
            ["Chains:anvil:ChainId"] = AnvilNode.ChainId.ToString(CultureInfo.InvariantCulture),
            ["Chains:anvil:RpcUrls:0"] = Node.Url,
            ["Chains:anvil:Tokens:TKA:Address"] = Market.TokenA.ToString(),
            ["Chains:anvil:Tokens:TKA:Decimals"] = "18",
            ["Chains:anvil:Tokens:TKB:Address"] = Market.TokenB.ToString(),
            ["Chains:anvil:Tokens:TKB:Decimals"] = "18",
            ["Chains:anvil:Tokens:WETH:Address"] = Market.Weth.ToString(),
            ["Chains:anvil:Tokens:WETH:Decimals"] = "18",
            ["Chains:anvil:Tokens:WETH:PriceSymbol"] = "ETH",
        };
        if (v2)
        {
            settings["Chains:anvil:Routers:UniswapV2Router"] = Market.V2Router.ToString();
        }

        if (v3)
        {
            settings["Chains:anvil:Routers:UniswapV3Router"] = Market.V3SwapRouter.ToString();
            settings["Chains:anvil:Routers:UniswapV3Quoter"] = Market.V3QuoterV2.ToString();
        }

        return settings;
    }

    /// <summary>Gives <paramref name="wallet"/> gas money and <paramref name="tokenA"/> TKA from the deployer.</summary>
    public async Task FundAsync(EvmAddress wallet, decimal tokenA, decimal eth = 10m)
    {
        await Node.RpcAsync("anvil_setBalance", wallet.ToString(), Hex.FromQuantity(Wei(eth)));
        await SendAsDeployerAsync(Market.TokenA, Transfer.EncodeCall(wallet, Wei(tokenA)));
    }

    /// <summary>A call from the deployer (anvil signs for it), waited for and required to succeed.</summary>
    public async Task SendAsDeployerAsync(EvmAddress to, byte[] data)
    {
        // An explicit gas limit: anvil's own estimate can sit exactly at the edge, and the mined call then runs out.
        var hash = (await Node.RpcAsync(
            "eth_sendTransaction",
            new JsonObject { ["from"] = Market.Deployer.ToString(), ["to"] = to.ToString(), ["data"] = Hex.FromBytes(data), ["gas"] = Hex.FromQuantity(1_000_000) })).GetString();
        (await Node.ReceiptAsync(hash!)).GetProperty("status").GetString().ShouldBe("0x1", $"deployer transaction to {to}");
    }

    public async Task<BigInteger> BalanceOfAsync(EvmAddress token, EvmAddress owner) =>
        (BigInteger)BalanceOf.DecodeOutput(await CallAsync(token, BalanceOf.EncodeCall(owner)))[0]!;

    public async Task<BigInteger> AllowanceAsync(EvmAddress token, EvmAddress owner, EvmAddress spender) =>
        (BigInteger)Allowance.DecodeOutput(await CallAsync(token, Allowance.EncodeCall(owner, spender)))[0]!;

    public static BigInteger Wei(decimal amount) => new(amount * 1_000_000_000_000_000_000m);

    private async Task<byte[]> CallAsync(EvmAddress to, byte[] data) =>
        Hex.ToBytes((await Node.RpcAsync("eth_call", new JsonObject { ["to"] = to.ToString(), ["data"] = Hex.FromBytes(data) }, "latest")).GetString()!);
}
