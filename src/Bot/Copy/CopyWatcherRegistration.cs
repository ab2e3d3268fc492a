using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Copy.Watching;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Copy;
using VantaBot.Infrastructure.Persistence.Copy;

namespace VantaBot.Bot.Copy;

public static class CopyWatcherRegistration
{
    /// <summary>
    /// The EVM leader watcher (<c>Copy__Watch…</c>, validated at start), its cursor store and the hosted poller, only
    /// when some configured chain has a Uniswap router: with no swap chain there is nothing to watch. Needs
    /// <c>AddEvm</c> and <c>AddEvmSwaps</c> before it (RPC clients, swap catalog).
    /// </summary>
    public static IServiceCollection AddCopyWatcher(this IServiceCollection services, IConfiguration config)
    {
        // Read from the raw keys, not a bound ChainsOptions: a malformed chain value must reach the chains validator's
        // message at start, not fail binding here. Same rule as ChainRouters.OffersSwaps.
        static bool Set(IConfigurationSection chain, string router) => !string.IsNullOrWhiteSpace(chain[$"Routers:{router}"]);
        if (!config.GetSection(ChainsOptions.Section).GetChildren().Any(c => Set(c, "UniswapV2Router") || (Set(c, "UniswapV3Router") && Set(c, "UniswapV3Quoter"))))
        {
            return services;
        }

        services.AddOptions<CopyWatchOptions>().Bind(config.GetSection(CopyWatchOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CopyWatchOptions>, CopyWatchOptionsValidator>();
        services.AddScoped<IChainCursorStore, ChainCursorStore>();
        services.AddSingleton<LeaderWatchMetrics>();
        services.AddSingleton<EvmLeaderWatchers>();
        services.AddHostedService<LeaderWatchService>();
        return services;
    }
}
