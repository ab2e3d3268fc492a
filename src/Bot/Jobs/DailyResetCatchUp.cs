using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.DailyLoss;

namespace VantaBot.Bot.Jobs;

/// <summary>
/// At start-up, once the database is ready: runs today's daily loss reset unless some instance already did. A
/// process that was down at 00:00 UTC thus still starts the day from a snapshot, not from whenever it came back.
/// </summary>
public sealed class DailyResetCatchUp(IServiceScopeFactory scopes, DatabaseReadiness database, JobsInstance instance, ILogger<DailyResetCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<DailyLossReset>().RunAsync(instance.Id, stoppingToken);
            logger.LogInformation("Daily reset catch-up for {Day}: {Outcome}", report.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), report.AlreadyDone ? "already done" : $"{report.Snapshots} snapshots written");
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The 00:00 job and the first trade of each user (lazy snapshot) still cover the day; keep running.
            logger.LogError(ex, "Daily reset catch-up failed");
        }
    }
}
