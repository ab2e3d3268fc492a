using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Persistence.Swaps;
using VantaBot.Trading.Swaps;

namespace VantaBot.Bot.Swaps;

/// <summary>
/// The swap area (issue #7): the swap path, its intents and recovery, the paper venue for DRY, the command and its card.
/// The chain side (catalog, quoter, balances, the LIVE router venue) is registered by the EVM module.
/// </summary>
public static class SwapsRegistration
{
    public static IServiceCollection AddSwaps(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SwapOptions>().Bind(config.GetSection(SwapOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SwapOptions>, SwapOptionsValidator>();
        // Without a chain the swap side is empty; the EVM module registers the real catalog, quoter and balances first.
        services.TryAddSingleton<NoSwapChains>();
        services.TryAddSingleton<ISwapCatalog>(sp => sp.GetRequiredService<NoSwapChains>());
        services.TryAddSingleton<ISwapQuoter>(sp => sp.GetRequiredService<NoSwapChains>());
        services.TryAddSingleton<IWalletTokenBalances>(sp => sp.GetRequiredService<NoSwapChains>());
        services.AddScoped<ISwapIntentStore, SwapIntentStore>();
        services.AddSingleton<ISwapVenue, PaperSwapVenue>();
        services.AddScoped<SwapVenues>();
        services.AddScoped<SwapRiskCheck>();
        services.AddScoped<SwapValuation>();
        services.AddScoped<SwapService>();
        services.AddScoped<SwapRecovery>();
        services.AddSingleton<SwapCards>();

        services.AddScoped<SwapCommand>();
        services.AddSingleton(new CommandInfo(
            SwapCommand.Command, SwapCommand.MinimumRole, SwapCommand.Usage, SwapCommand.Description, typeof(SwapCommand), SwapCommand.IsTradingAction));
        services.AddKeyedScoped<ICallbackHandler, SwapConfirmCallback>(SwapCommand.ConfirmPrefix);
        services.AddKeyedScoped<ICallbackHandler, SwapCancelCallback>(SwapCommand.CancelPrefix);
        return services;
    }
}
