using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Evm;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Rpc;

namespace VantaBot.UnitTests.Configuration;

/// <summary>Chains__&lt;name&gt;__* as the process reads it: bound through EvmRegistration, validated, defaults per chain.</summary>
public sealed class ChainsOptionsTests
{
    private static readonly Dictionary<string, string?> Base = new()
    {
        ["Chains:base:ChainId"] = "8453",
        ["Chains:base:RpcUrls:0"] = "https://mainnet.base.org",
        ["Chains:base:RpcUrls:1"] = "https://base-mainnet.g.alchemy.com/v2/secret-key",
        ["Chains:base:Routers:UniswapV2Router"] = "0x4752ba5DBc23f44D87826276BF6Fd6b1C372aD24",
        ["Chains:base:Routers:UniswapV3Router"] = "0x2626664c2603336E57B271c5C0b26F421741e481",
        ["Chains:base:Routers:UniswapV3Quoter"] = "0x3d4e44Eb1374240CE5F1B871ab261CD16335B76a",
        ["Chains:base:Tokens:USDC:Address"] = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
        ["Chains:base:Tokens:USDC:Decimals"] = "6",
    };

    [Fact]
    public void No_chain_configured_means_EVM_is_off_and_nothing_is_registered()
    {
        var services = Services(new Dictionary<string, string?>());

        services.GetService<IEvmRpcClients>().ShouldBeNull();
        services.GetService<IValidateOptions<ChainsOptions>>().ShouldBeNull();
    }

    [Fact]
    public void A_configured_chain_binds_with_its_defaults_and_gets_a_client()
    {
        var services = Services(Base);

        var chain = services.GetRequiredService<IOptions<ChainsOptions>>().Value.Chains["BASE"];
        chain.ChainId.ShouldBe(8453);
        chain.RpcUrls.Count.ShouldBe(2);
        chain.EffectiveConfirmations.ShouldBe(2);
        chain.EffectiveMaxFeeCapGwei.ShouldBe(10m);
        chain.EffectivePriorityFeeGwei.ShouldBe(0.01m);
        chain.NativeSymbol.ShouldBe("ETH");
        chain.Tokens["usdc"].Decimals.ShouldBe(6);
        var client = services.GetRequiredService<IEvmRpcClients>().Find("base").ShouldNotBeNull();
        client.ChainId.ShouldBe(8453);
    }

    [Theory]
    [InlineData(1, 2, 50, 1)]
    [InlineData(31337, 1, 100, 1)]
    [InlineData(42161, 2, 10, 0.01)]
    public void Defaults_follow_the_chain(long chainId, int confirmations, decimal cap, decimal tip)
    {
        var chain = new ChainOptions { ChainId = chainId };

        chain.EffectiveConfirmations.ShouldBe(confirmations);
        chain.EffectiveMaxFeeCapGwei.ShouldBe(cap);
        chain.EffectivePriorityFeeGwei.ShouldBe(tip);
    }

    [Fact]
    public void Every_bad_value_fails_at_start_naming_its_setting_and_never_echoing_a_url()
    {
        var bad = new Dictionary<string, string?>(Base)
        {
            ["Chains:base:RpcUrls:1"] = "wss://base.example.org/v2/secret-key",
            ["Chains:base:Routers:UniswapV2Router"] = "0x4752ba5dbc23f44d87826276bf6fd6b1c372ad2",
            ["Chains:base:Routers:UniswapV3Quoter"] = "0x3D4e44Eb1374240CE5F1B871ab261CD16335B76a",
            ["Chains:base:Tokens:USDC:Decimals"] = "37",
            ["Chains:base:Tokens:WETH:Address"] = "",
            ["Chains:base:Confirmations"] = "0",
            ["Chains:base:MaxFeeCapGwei"] = "0",
            ["Chains:base2:ChainId"] = "8453",
            ["Chains:base2:RpcUrls:0"] = "http://127.0.0.1:8545",
            ["Chains:nourl:ChainId"] = "10",
        };

        var error = Should.Throw<OptionsValidationException>(() => Services(bad).GetRequiredService<IOptions<ChainsOptions>>().Value);

        var failures = error.Failures.ToArray();
        failures.ShouldContain("Chains__base__RpcUrls__1: must be an absolute http(s) URL.");
        failures.ShouldContain(f => f.StartsWith("Chains__base__Routers__UniswapV2Router: '0x4752ba5dbc23f44d87826276bf6fd6b1c372ad2' is not an EVM address: an EVM address has 40 hex digits after 0x, not 39", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Chains__base__Routers__UniswapV3Quoter:", StringComparison.Ordinal) && f.Contains("checksum"));
        failures.ShouldContain(f => f.StartsWith("Chains__base__Tokens__USDC__Decimals: must be between 0 and 36", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Chains__base__Tokens__WETH__Address: an address is required", StringComparison.Ordinal));
        failures.ShouldContain("Chains__base__Confirmations: must be between 1 and 1000.");
        failures.ShouldContain("Chains__base__MaxFeeCapGwei: must be above 0 and at most 100000.");
        failures.ShouldContain(f => f.StartsWith("Chains: chain id 8453 is configured twice (base, base2)", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Chains__nourl__RpcUrls: at least one JSON-RPC URL is needed", StringComparison.Ordinal));
        failures.ShouldAllBe(f => !f.Contains("secret-key"));
        failures.Length.ShouldBe(9);
    }

    [Fact]
    public void The_valid_example_passes() =>
        new ChainsOptionsValidator().Validate(null, Bind(Base)).Succeeded.ShouldBeTrue();

    [Theory]
    [InlineData("https://eth-mainnet.g.alchemy.com/v2/abc123", 0, "#1 https://eth-mainnet.g.alchemy.com/…")]
    [InlineData("https://rpc.example.org/?apikey=abc123", 1, "#2 https://rpc.example.org/…")]
    [InlineData("https://user:pass@rpc.example.org", 2, "#3 https://rpc.example.org/…")]
    [InlineData("http://127.0.0.1:8545", 0, "#1 http://127.0.0.1:8545")]
    [InlineData("http://127.0.0.1:8545/", 0, "#1 http://127.0.0.1:8545")]
    public void Rpc_urls_are_redacted_to_scheme_host_and_port(string url, int index, string expected) =>
        RpcUrlRedactor.Redact(url, index).ShouldBe(expected);

    private static ChainsOptions Bind(Dictionary<string, string?> values)
    {
        var options = new ChainsOptions();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(ChainsOptions.Section).Bind(options.Chains);
        return options;
    }

    private static ServiceProvider Services(Dictionary<string, string?> values)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddEvm(config);
        return services.BuildServiceProvider();
    }
}
