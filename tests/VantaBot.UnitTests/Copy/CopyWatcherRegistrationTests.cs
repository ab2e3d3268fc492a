using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VantaBot.Bot.Copy;
using VantaBot.Bot.Copy.Watching;
using VantaBot.Infrastructure.Evm.Copy;

namespace VantaBot.UnitTests.Copy;

/// <summary>The watcher is wired only where there is something to watch: a chain with a Uniswap router.</summary>
public sealed class CopyWatcherRegistrationTests
{
    [Fact]
    public void Nothing_is_registered_without_chains_or_when_no_chain_has_a_router()
    {
        Registered(new Dictionary<string, string?>()).ShouldBeEmpty();
        Registered(new Dictionary<string, string?>
        {
            ["Chains:base:ChainId"] = "8453",
            ["Chains:base:RpcUrls:0"] = "https://rpc.example",
        }).ShouldBeEmpty();
    }

    [Fact]
    public void A_chain_with_a_router_gets_the_watchers_and_the_hosted_poller()
    {
        var registered = Registered(new Dictionary<string, string?>
        {
            ["Chains:base:ChainId"] = "8453",
            ["Chains:base:RpcUrls:0"] = "https://rpc.example",
            ["Chains:base:Routers:UniswapV2Router"] = "0x4752ba5dbc23f44d87826276bf6fd6b1c372ad24",
        });

        registered.ShouldContain(typeof(EvmLeaderWatchers));
        registered.ShouldContain(typeof(IChainCursorStore));
        registered.ShouldContain(typeof(LeaderWatchService));
    }

    private static List<Type> Registered(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddCopyWatcher(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services
            .Where(d => d.ServiceType == typeof(EvmLeaderWatchers) || d.ServiceType == typeof(IChainCursorStore) || d.ServiceType == typeof(IHostedService))
            .Select(d => d.ServiceType == typeof(IHostedService) ? d.ImplementationType! : d.ServiceType)
            .ToList();
    }
}
