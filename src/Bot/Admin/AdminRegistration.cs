using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Admin.Commands;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Redis;
using VantaBot.Trading.Control;
using VantaBot.Trading.Execution;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Admin;

/// <summary>Everything of the admin area (issue #4): switches, gates, execution-mode policy, heartbeats, commands.</summary>
public static class AdminRegistration
{
    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<AdminOptions>().Bind(config.GetSection(AdminOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();

        // Switches: one cached view per process, refreshed from the database and on the cross-instance signal.
        services.AddSingleton<IControlSignal>(sp => sp.GetService<RedisConnection>() is { } redis
            ? new RedisControlSignal(redis, sp.GetRequiredService<ILogger<RedisControlSignal>>())
            : new InProcessControlSignal());
        services.AddSingleton<SystemControl>();
        services.AddSingleton<ISystemControl>(sp => sp.GetRequiredService<SystemControl>());
        services.AddHostedService<ControlRefresher>();
        services.AddSingleton<InstanceIdentity>();
        services.AddHostedService<InstanceHeartbeatService>();

        // Trade gates, in order: the stop first (at both stages), then the LIVE-without-venue refusal.
        services.AddSingleton<ITradeGate>(sp => new EmergencyStopGate(sp.GetRequiredService<ISystemControl>(), TradeGateStage.BeforeRisk));
        services.AddSingleton<ITradeGate>(sp => new EmergencyStopGate(sp.GetRequiredService<ISystemControl>(), TradeGateStage.BeforeCommit));
        services.AddScoped<ITradeGate, LiveExecutionGate>();
        services.AddSingleton<IUpdateGate, MaintenanceGate>();

        // Execution-mode policy. Wallets come from WalletsRegistration; live venues arrive later and replace this one.
        services.AddSingleton(sp => new LiveConsent(sp.GetRequiredService<IOptions<TradingOptions>>().Value.AllowLive));
        services.TryAddSingleton<ILiveVenues, NoLiveVenues>();
        services.AddScoped<IExecutionModeResolver, ExecutionModeResolver>();
        services.AddSingleton<LiveSwitchConfirmations>();

        services.AddScoped<AdminNotifier>();
        services.AddScoped<RoleChanger>();
        services.AddScoped<EmergencyFlattener>();
        AddCommand<GrantCommand>(services, RolePolicy.RequiredToManage);
        AddCommand<RevokeCommand>(services, RolePolicy.RequiredToManage);
        AddCommand<EmergencyStopCommand>(services);
        AddCommand<EmergencyResumeCommand>(services);
        AddCommand<MaintenanceModeCommand>(services);
        AddCommand<ExecutionModeCommand>(services, ExecutionModeCommand.RequiredRole);
        AddCommand<LiveCommand>(services);
        AddCommand<SystemStatusCommand>(services);
        AddCommand<RiskSummaryCommand>(services);
        AddCommand<AuditCommand>(services);
        AddCommand<AuditVerifyCommand>(services);
        services.AddKeyedScoped<ICallbackHandler, GoLiveConfirmCallback>(ExecutionModeCommand.ConfirmPrefix);
        services.AddKeyedScoped<ICallbackHandler, GoLiveCancelCallback>(ExecutionModeCommand.CancelPrefix);
        return services;
    }

    private static void AddCommand<THandler>(IServiceCollection services, Func<IReadOnlyList<string>, Role>? roleForArguments = null)
        where THandler : class, ICommandHandler, ICommandMetadata
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new CommandInfo(
            THandler.Command, THandler.MinimumRole, THandler.Usage, THandler.Description, typeof(THandler), THandler.IsTradingAction, roleForArguments));
    }
}
