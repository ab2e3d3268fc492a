using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Swaps;
using VantaBot.Trading.Execution;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Wallets;

namespace VantaBot.Bot.Evm;

public static class EvmSwapsRegistration
{
    /// <summary>
    /// The chain side of swaps when EVM chains are configured: the catalog of swap chains and tokens, the Uniswap
    /// quoter, fresh on-chain balances and the LIVE router venue. Must run before <c>AddSwaps</c>, whose empty
    /// fallbacks are registered only when nothing else is. With no chain configured nothing changes except the check
    /// that <c>Swaps__DefaultChain</c> is unset.
    /// </summary>
    public static IServiceCollection AddEvmSwaps(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<IValidateOptions<SwapOptions>, SwapDefaultChainValidator>();
        if (!config.GetSection(ChainsOptions.Section).GetChildren().Any())
        {
            return services;
        }

        services.AddSingleton<ISwapCatalog, ChainSwapCatalog>();
        services.AddSingleton<ISwapQuoter, UniswapQuoter>();
        services.AddSingleton<IWalletTokenBalances, RpcWalletTokenBalances>();
        // /wallet's balances read from the chains, in place of AddWallets' "no chain is configured" fallback.
        services.Replace(ServiceDescriptor.Singleton<IWalletBalances, ChainWalletBalances>());

        // Scoped: it reads the wallet directory and the swap intents, both per-scope database ports.
        services.AddSingleton<SwapSpenderLocks>();
        services.AddSingleton<SwapsInFlight>();
        services.AddScoped<ISwapVenue, UniswapSwapVenue>();

        // LIVE swaps are now executable: the LIVE gate must stop refusing them (it asks ILiveVenues).
        services.AddSingleton(new LiveVenueCapability(TradeAction.Swap));
        services.Replace(ServiceDescriptor.Singleton<ILiveVenues, RegisteredLiveVenues>());
        return services;
    }
}
