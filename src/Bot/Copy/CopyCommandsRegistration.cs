using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Copy.Commands;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.Trading.Copy;

namespace VantaBot.Bot.Copy;

/// <summary>
/// The copy-trading chat commands (issue #8): /follow, /unfollow, /following, /leader, /leaders, and the leader
/// board query behind /leaders. Watching leaders and mirroring their trades are registered by their own areas.
/// </summary>
public static class CopyCommandsRegistration
{
    public static IServiceCollection AddCopyCommands(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<CopyFollowOptions>().Bind(config.GetSection(CopyFollowOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CopyFollowOptions>, CopyFollowOptionsValidator>();
        services.AddScoped<ILeaderBoard, LeaderStatsQuery>();
        AddCommand<FollowCommand>(services);
        AddCommand<UnfollowCommand>(services);
        AddCommand<FollowingCommand>(services);
        AddCommand<LeaderCommand>(services);
        AddCommand<LeadersCommand>(services);
        return services;
    }

    private static void AddCommand<THandler>(IServiceCollection services)
        where THandler : class, ICommandHandler, ICommandMetadata
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new CommandInfo(THandler.Command, THandler.MinimumRole, THandler.Usage, THandler.Description, typeof(THandler), THandler.IsTradingAction));
    }
}
