using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Health;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Infrastructure.Evm.Transactions;
using VantaBot.Infrastructure.Persistence.EvmTransactions;

namespace VantaBot.Bot.Evm;

public static class EvmRegistration
{
    /// <summary>
    /// Chains from <c>Chains__&lt;name&gt;__*</c> (validated at start), their RPC clients, one readiness check per chain
    /// and the transaction queue (sender, store, gas policies, monitor).
    /// No chain configured means EVM is off: nothing is registered.
    /// </summary>
    public static IServiceCollection AddEvm(this IServiceCollection services, IConfiguration config)
    {
        var section = config.GetSection(ChainsOptions.Section);
        var chains = section.GetChildren().Select(c => c.Key).ToArray();
        if (chains.Length == 0)
        {
            return services;
        }

        services.AddOptions<ChainsOptions>().Configure(o => section.Bind(o.Chains)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChainsOptions>, ChainsOptionsValidator>();

        // The endpoint pipeline owns the per-attempt timeout; HttpClient's own would cut it differently.
        services.AddHttpClient(EvmRpcClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<IEvmRpcClients, EvmRpcClients>();

        // The transaction queue: one sender per process (it holds the per-address gates), the monitor beside it.
        services.AddSingleton<EvmGasPolicies>();
        services.AddSingleton<EvmTransactionMetrics>();
        services.TryAddSingleton<IEvmTransactionBroadcaster, RpcEvmTransactionBroadcaster>();
        services.AddScoped<EvmTransactionStore>();
        services.AddSingleton<EvmTransactionInspector>();
        services.AddSingleton<EvmTransactionSender>();
        services.AddSingleton<IEvmTransactionSender>(sp => sp.GetRequiredService<EvmTransactionSender>());
        services.AddHostedService<EvmTransactionMonitor>();

        var health = services.AddHealthChecks();
        foreach (var chain in chains)
        {
            health.Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
                $"evm-{chain}",
                sp => new EvmRpcHealthCheck(sp.GetRequiredService<IEvmRpcClients>(), chain),
                failureStatus: null,
                tags: [HealthEndpoints.ReadinessTag]));
        }

        return services;
    }
}
