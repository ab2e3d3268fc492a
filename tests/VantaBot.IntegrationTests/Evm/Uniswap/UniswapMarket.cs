using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Evm.Swaps;
using VantaBot.Trading.Swaps;

namespace VantaBot.IntegrationTests.Evm.Uniswap;

/// <summary>The deployed test market as the swap code sees it (settings, tokens), and raw swaps by the deployer to compare with.</summary>
public sealed class UniswapMarket(UniswapDeployment deployment)
{
    public UniswapAddresses Addresses => deployment.Addresses;

    public AnvilNode Node => deployment.Node;

    public SwapToken Tka => new("TKA", Addresses.TokenA.ToString(), 18);

    public SwapToken Tkb => new("TKB", Addresses.TokenB.ToString(), 18);

    public SwapToken Weth => new("WETH", Addresses.Weth.ToString(), 18, "ETH");

    public ChainsOptions Options(bool v2 = true, bool v3 = true) => new()
    {
        Chains = new(StringComparer.OrdinalIgnoreCase)
        {
            ["anvil"] = new ChainOptions
            {
                ChainId = AnvilNode.ChainId,
                RpcUrls = [Node.Url],
                Routers = new ChainRouters
                {
                    UniswapV2Router = v2 ? Addresses.V2Router.ToString() : null,
                    UniswapV3Router = v3 ? Addresses.V3SwapRouter.ToString() : null,
                    UniswapV3Quoter = v3 ? Addresses.V3QuoterV2.ToString() : null,
                },
            },
        },
    };

    public static IEvmRpcClients Clients(ChainsOptions options) =>
        new EvmRpcClients(Microsoft.Extensions.Options.Options.Create(options), EvmTestSupport.Http, TimeProvider.System, NullLoggerFactory.Instance);

    public UniswapQuoter Quoter(bool v2 = true, bool v3 = true)
    {
        var options = Options(v2, v3);
        return new UniswapQuoter(Microsoft.Extensions.Options.Options.Create(options), Clients(options), TimeProvider.System, NullLogger<UniswapQuoter>.Instance);
    }

    /// <summary>Sends a transaction from the deployer (an unlocked anvil account) and returns its receipt; it must succeed.</summary>
    public async Task<JsonElementReceipt> SendAsDeployerAsync(EvmAddress to, byte[] data)
    {
        var hash = (await Node.RpcAsync(
            "eth_sendTransaction",
            new JsonObject { ["from"] = Addresses.Deployer.ToString(), ["to"] = to.ToString(), ["data"] = Hex.FromBytes(data), ["gas"] = "0x100000" })).GetString()!;
        var receipt = await Node.ReceiptAsync(hash);
        receipt.GetProperty("status").GetString().ShouldBe("0x1", $"transaction {hash} to {to}");
        return new JsonElementReceipt(hash, Hex.ToQuantity(receipt.GetProperty("gasUsed").GetString()!));
    }

    public async Task<BigInteger> BalanceOfAsync(EvmAddress token, EvmAddress owner) =>
        (BigInteger)UniswapContracts.BalanceOf.DecodeOutput(Hex.ToBytes((await Node.RpcAsync(
            "eth_call", new JsonObject { ["to"] = token.ToString(), ["data"] = Hex.FromBytes(UniswapContracts.BalanceOf.EncodeCall(owner)) }, "latest")).GetString()!))[0]!;

    public async Task<BigInteger> DeadlineAsync() =>
        Hex.ToQuantity((await Node.RpcAsync("eth_getBlockByNumber", "latest", false)).GetProperty("timestamp").GetString()!) + 600;

    public static TokenAmount Amount(decimal value)
    {
        TokenAmount.TryFromDecimal(value, 18, out var amount, out _).ShouldBeTrue();
        return amount;
    }

    public static string Gas(BigInteger gas) => gas.ToString(CultureInfo.InvariantCulture);
}

public sealed record JsonElementReceipt(string Hash, BigInteger GasUsed);
