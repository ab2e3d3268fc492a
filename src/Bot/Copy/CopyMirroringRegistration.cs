using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Copy.Mirroring;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.Trading.Copy.Mirroring;

namespace VantaBot.Bot.Copy;

/// <summary>Copy-trading, the mirroring part: fan-out, mirror workers, and the mirrors store.</summary>
public static class CopyMirroringRegistration
{
    public static IServiceCollection AddCopyMirroring(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<CopyMirroringOptions>().Bind(config.GetSection(CopyMirroringOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CopyMirroringOptions>, CopyMirroringOptionsValidator>();
        services.AddScoped<MirrorStore>();
        services.AddScoped<IMirrorStore>(sp => sp.GetRequiredService<MirrorStore>());
        services.AddScoped<MirrorExecutor>();
        services.AddHostedService<MirrorFanOutService>();
        services.AddHostedService<MirrorWorkerService>();
        return services;
    }
}
