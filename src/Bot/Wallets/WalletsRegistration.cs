using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.KeyVault;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Execution;
using VantaBot.Trading.Wallets;

namespace VantaBot.Bot.Wallets;

/// <summary>Custodial wallets (issue #7 item 3): key vault and master keys, the wallet store, /wallet and /rotate_keys.</summary>
public static class WalletsRegistration
{
    public static IServiceCollection AddWallets(this IServiceCollection services, IConfiguration config, DatabaseOptions database)
    {
        services.AddOptions<KeyVaultOptions>()
            .Bind(config.GetSection(KeyVaultOptions.Section))
            .PostConfigure(o => o.DevelopmentKeyDirectory = DevelopmentKeyLocation.DirectoryFor(database))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyVaultOptions>>(new KeyVaultOptionsValidator());

        services.AddSingleton<FileMasterKeyProvider>();
        services.AddSingleton<IMasterKeyProvider>(sp => sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value.Provider == MasterKeyProviderKind.Environment
            ? new EnvironmentMasterKeyProvider(sp.GetRequiredService<IOptions<KeyVaultOptions>>())
            : sp.GetRequiredService<FileMasterKeyProvider>());
        services.AddHostedService<KeyVaultStartup>();
        services.AddScoped<IKeyVault, EnvelopeKeyVault>();
        services.AddScoped<IWalletDirectory, WalletDirectory>();
        services.AddScoped<IUserWallets, StoredUserWallets>();

        // No chains in the embedded default: balances say so. The RPC-backed reader replaces this when chains are configured.
        services.TryAddSingleton<IWalletBalances, NoEvmChainsConfigured>();

        AddCommand<WalletCommand>(services);
        AddCommand<RotateKeysCommand>(services);
        return services;
    }

    private static void AddCommand<THandler>(IServiceCollection services)
        where THandler : class, ICommandHandler, ICommandMetadata
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new CommandInfo(THandler.Command, THandler.MinimumRole, THandler.Usage, THandler.Description, typeof(THandler), THandler.IsTradingAction));
    }
}
