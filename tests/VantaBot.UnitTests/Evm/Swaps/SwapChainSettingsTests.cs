using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Evm;
using VantaBot.Bot.Swaps;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Swaps;
using VantaBot.Trading.Execution;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Swaps;

namespace VantaBot.UnitTests.Evm.Swaps;

/// <summary>The swap side of Chains__… and Swaps__DefaultChain: the catalog it builds and the start-up checks.</summary>
public sealed class SwapChainSettingsTests
{
    private static readonly Dictionary<string, string?> Anvil = new()
    {
        ["Chains:anvil:ChainId"] = "31337",
        ["Chains:anvil:RpcUrls:0"] = "http://127.0.0.1:8545",
        ["Chains:anvil:Routers:UniswapV2Router"] = TestChain.V2Router.ToString(),
        ["Chains:anvil:Tokens:TKA:Address"] = TestChain.TokenA.LowerHex.Insert(0, "0x"),
        ["Chains:anvil:Tokens:WETH:Address"] = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2",
        ["Chains:anvil:Tokens:WETH:PriceSymbol"] = "eth",
        ["Chains:anvil:Tokens:USDC:Address"] = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48",
        ["Chains:anvil:Tokens:USDC:Decimals"] = "6",
        ["Chains:anvil:Tokens:USDC:PriceSymbol"] = "USD",
        // A chain only for prices (no router) is not a swap chain.
        ["Chains:oracle:ChainId"] = "1",
        ["Chains:oracle:RpcUrls:0"] = "http://127.0.0.1:8546",
    };

    [Fact]
    public void Chains_with_a_router_become_swap_chains_with_their_tokens_and_price_symbols()
    {
        using var services = Services(Anvil);

        var catalog = services.GetRequiredService<ISwapCatalog>().ShouldBeOfType<ChainSwapCatalog>();
        catalog.Chains.Select(c => c.Name).ShouldBe(["anvil"]);
        catalog.DefaultChain!.Name.ShouldBe("anvil");
        var anvil = catalog.FindChain("ANVIL").ShouldNotBeNull();
        anvil.Find("weth").ShouldBe(new SwapToken("WETH", "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", 18, "ETH"));
        anvil.Find("USDC")!.UsdPriceSymbol.ShouldBe("USD");
        anvil.Find("TKA")!.UsdPriceSymbol.ShouldBeNull();
        anvil.Find("TKA")!.Address.ShouldBe(TestChain.TokenA.ToString());
        services.GetRequiredService<ISwapQuoter>().ShouldBeOfType<UniswapQuoter>();
        services.GetRequiredService<IWalletTokenBalances>().ShouldBeOfType<RpcWalletTokenBalances>();
        var live = services.GetRequiredService<ILiveVenues>();
        live.CanExecute(TradeAction.Swap).ShouldBeTrue();
        live.CanExecute(TradeAction.OpenPerp).ShouldBeFalse();
    }

    [Fact]
    public void Without_chains_the_swap_side_stays_empty()
    {
        using var services = Services([]);

        services.GetRequiredService<ISwapCatalog>().ShouldBeOfType<NoSwapChains>();
        services.GetRequiredService<ISwapQuoter>().ShouldBeOfType<NoSwapChains>();
        services.GetRequiredService<IOptions<SwapOptions>>().Value.DefaultChain.ShouldBeNull();
        services.GetService<ILiveVenues>().ShouldBeNull(); // the admin module's NoLiveVenues stays the only one
    }

    [Fact]
    public void Several_swap_chains_have_no_default_unless_one_is_named()
    {
        var two = new Dictionary<string, string?>(Anvil) { ["Chains:oracle:Routers:UniswapV2Router"] = TestChain.V2Router.ToString() };

        using (var services = Services(two))
        {
            services.GetRequiredService<ISwapCatalog>().DefaultChain.ShouldBeNull();
        }

        using var named = Services(new Dictionary<string, string?>(two) { ["Swaps:DefaultChain"] = "Oracle" });
        named.GetRequiredService<ISwapCatalog>().DefaultChain!.Name.ShouldBe("oracle");
    }

    [Fact]
    public void A_default_chain_that_cannot_swap_stops_the_start_naming_the_setting()
    {
        using var services = Services(new Dictionary<string, string?>(Anvil) { ["Swaps:DefaultChain"] = "oracle" });

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<SwapOptions>>().Value);

        error.Failures.ShouldBe(["Swaps__DefaultChain: 'oracle' is not a chain with a Uniswap router (swap chains: anvil)."]);
    }

    [Fact]
    public void Bad_swap_settings_stop_the_start_each_naming_its_setting()
    {
        var bad = new Dictionary<string, string?>(Anvil)
        {
            ["Chains:anvil:Routers:UniswapV3Router"] = TestChain.V3Router.ToString(),
            ["Chains:anvil:Routers:UniswapV3Fees"] = "500,abc",
            ["Chains:anvil:Routers:SwapDeadline"] = "00:00:01",
            ["Chains:anvil:Routers:SwapWaitTimeout"] = "01:00:00",
            ["Chains:anvil:Tokens:USDC:Decimals"] = "40",
            ["Chains:anvil:Tokens:WETH:PriceSymbol"] = "E-TH",
        };
        using var services = Services(bad);

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<ChainsOptions>>().Value);

        var failures = error.Failures.ToArray();
        failures.ShouldContain(f => f.StartsWith("Chains__anvil__Routers__UniswapV3Quoter: Uniswap V3 needs both", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Chains__anvil__Routers__UniswapV3Fees: a comma-separated list", StringComparison.Ordinal));
        failures.ShouldContain("Chains__anvil__Routers__SwapDeadline: must be between 00:00:30 and 01:00:00 (was 00:00:01).");
        failures.ShouldContain("Chains__anvil__Routers__SwapWaitTimeout: must be between 00:00:05 and 00:10:00 (was 01:00:00).");
        failures.ShouldContain(f => f.StartsWith("Chains__anvil__Tokens__USDC__Decimals: must be between 0 and 36", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Chains__anvil__Tokens__WETH__PriceSymbol:", StringComparison.Ordinal));
        failures.Length.ShouldBe(6);
    }

    [Theory]
    [InlineData(null, new[] { 500, 3000, 10000 })]
    [InlineData("3000", new[] { 3000 })]
    [InlineData(" 100, 500 ,500", new[] { 100, 500 })]
    public void Fee_tiers_default_to_the_three_common_ones(string? setting, int[] expected) =>
        new ChainRouters { UniswapV3Fees = setting }.EffectiveUniswapV3Fees.ShouldBe(expected);

    private static ServiceProvider Services(Dictionary<string, string?> values)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddEvm(config);
        services.AddEvmSwaps(config);
        services.AddSwaps(config);
        return services.BuildServiceProvider();
    }
}
