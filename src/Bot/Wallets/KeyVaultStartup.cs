using Microsoft.Extensions.Hosting;
using VantaBot.Infrastructure.KeyVault;

namespace VantaBot.Bot.Wallets;

/// <summary>
/// Loads the current master key at start, so a missing or broken key stops the process now (not at the first
/// /wallet), and the development key is generated, with its warning, before any user arrives.
/// </summary>
public sealed class KeyVaultStartup(IMasterKeyProvider masterKeys) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await masterKeys.GetCurrentAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
