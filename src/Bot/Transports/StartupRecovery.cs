using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Swaps;

namespace VantaBot.Bot.Transports;

/// <summary>At start-up, once the database is ready, resolves every intent a crash left Pending or Submitted.</summary>
public sealed class StartupRecovery(IServiceScopeFactory scopes, DatabaseReadiness database, ILogger<StartupRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        await using var scope = scopes.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<IntentRecovery>().RecoverAsync(stoppingToken);
        logger.LogInformation("Start-up recovery: {Settled} intents settled, {Voided} voided", report.Settled, report.Voided);
        var swaps = await scope.ServiceProvider.GetRequiredService<SwapRecovery>().RecoverAsync(DateTimeOffset.MaxValue, stoppingToken);
        logger.LogInformation("Start-up recovery: {Settled} swaps settled, {Voided} voided", swaps.Settled, swaps.Voided);
    }
}
